import { isMoneyTaken } from '../../../shared/status.ts';
import type { PaymentState, Refusal } from './state.ts';

/** A new attempt returns a failed payment to awaiting; a payment that cannot be paid refuses it. */
export function decideAttemptOpened(payment: PaymentState, now: number): { payment: PaymentState } | Refusal {
  if (isMoneyTaken(payment.status)) return { refused: 'already_paid' };
  if (payment.status === 'cancelled') return { refused: 'cancelled' };
  if (payment.status === 'expired' || now >= payment.expiresAt) return { refused: 'expired' };
  return { payment: payment.status === 'failed' ? { ...payment, status: 'awaiting' } : payment };
}
