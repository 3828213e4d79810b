import { isPayable } from '../../../shared/status.ts';
import { unchanged, type Decision, type PaymentState } from './state.ts';

/** A payable link past its lifetime expires; anything else (paid, cancelled, not yet due) stays. */
export function decideExpire(payment: PaymentState, now: number): Decision {
  if (!isPayable(payment.status) || now < payment.expiresAt) return unchanged(payment, 'no_change');
  return {
    payment: { ...payment, status: 'expired' },
    events: [{ type: 'expired', expiresAt: payment.expiresAt }],
    outcome: 'applied',
  };
}
