import { isMoneyTaken } from '../../../shared/status.ts';
import type { AttemptState, PaymentState } from './state.ts';

export type HoldMove = 'capture' | 'void' | 'wait';

/**
 * What the server does by itself with funds held on an attempt (docs/architecture.md, Hold and
 * capture): release them when the payment can no longer take them (cancelled by a manager, or
 * already paid by another attempt); otherwise capture them at once in `auto` mode, or wait for an
 * admin in `manual` mode. A hold arriving after the link expired is captured (auto) like a late
 * one-stage payment, and then needs review (paid_after_expiry).
 */
export function holdFollowUp(payment: PaymentState, attempt: AttemptState): HoldMove {
  if (attempt.status !== 'authorized') return 'wait';
  if (payment.status === 'cancelled' || (isMoneyTaken(payment.status) && payment.paidAttemptId !== attempt.id)) return 'void';
  return attempt.captureMode === 'manual' ? 'wait' : 'capture';
}
