import { refundableMinor, refundStatus } from './refund-status.ts';
import { unchanged, type Decision, type PaymentState } from './state.ts';

/** A refund we asked for succeeded: add it to the total (never beyond what was paid). */
export function decideRefundSucceeded(payment: PaymentState, amountMinor: number, refundId: string): Decision {
  const allowed = Math.min(amountMinor, refundableMinor(payment));
  if (allowed <= 0) return unchanged(payment, 'nothing_to_refund');
  let next: PaymentState = { ...payment, refundedAmountMinor: payment.refundedAmountMinor + allowed };
  next = { ...next, status: refundStatus(next) };
  return {
    payment: next,
    events: [
      {
        type: next.status === 'refunded' ? 'refunded' : 'partially_refunded',
        refundId,
        amountMinor: allowed,
        refundedTotalMinor: next.refundedAmountMinor,
        source: 'manager',
      },
    ],
    outcome: 'applied',
  };
}
