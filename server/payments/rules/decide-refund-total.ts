import type { LedgerEvent } from '../ledger-events.ts';
import { refundStatus } from './refund-status.ts';
import { setReview } from './review.ts';
import type { PaymentState } from './state.ts';

export interface RefundTotalResult {
  payment: PaymentState;
  events: LedgerEvent[];
  /** How much the provider's total grew beyond what we had recorded. */
  providerRefundMinor?: number;
}

/**
 * A provider's cumulative refunded total for the paid attempt. Growth is a refund (never beyond
 * what was paid); a total above the paid amount is something only a person can explain.
 */
export function decideRefundTotal(
  payment: PaymentState,
  attemptId: string,
  refundedTotalMinor: number | undefined,
  now: number,
): RefundTotalResult {
  if (refundedTotalMinor === undefined || payment.paidAttemptId !== attemptId) return { payment, events: [] };
  const events: LedgerEvent[] = [];
  let next = payment;
  let providerRefundMinor: number | undefined;
  const paid = next.paidAmountMinor ?? next.amountMinor;
  const total = Math.min(refundedTotalMinor, paid);
  if (total > next.refundedAmountMinor) {
    providerRefundMinor = total - next.refundedAmountMinor;
    next = { ...next, refundedAmountMinor: total };
    next = { ...next, status: refundStatus(next) };
    const type = next.status === 'refunded' ? 'refunded' : 'partially_refunded';
    events.push({ type, attemptId, amountMinor: providerRefundMinor, refundedTotalMinor: total, source: 'provider' });
  }
  if (refundedTotalMinor > paid && !next.reviewReason) {
    next = setReview(next, 'refund_exceeds_paid', now);
    events.push({
      type: 'review_needed',
      reason: 'refund_exceeds_paid',
      attemptId,
      reportedTotalMinor: refundedTotalMinor,
      paidMinor: paid,
    });
  }
  return { payment: next, events, providerRefundMinor };
}
