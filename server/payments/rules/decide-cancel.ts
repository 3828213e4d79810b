import { isMoneyTaken } from '../../../shared/status.ts';
import type { Decision, PaymentState, Refusal } from './state.ts';

/** A manager cancels an unpaid link; money already taken is refunded instead. */
export function decideCancel(payment: PaymentState): Decision | Refusal {
  if (isMoneyTaken(payment.status)) return { refused: 'already_paid' };
  if (payment.status === 'cancelled') return { refused: 'cancelled' };
  if (payment.status === 'expired') return { refused: 'expired' };
  return {
    payment: { ...payment, status: 'cancelled' },
    events: [{ type: 'cancelled' }],
    outcome: 'applied',
  };
}
