import { isMoneyTaken } from '../../../shared/status.ts';
import type { ProviderFact } from '../../providers/provider.ts';
import type { LedgerEvent } from '../ledger-events.ts';
import { decideMismatch, mismatchOf } from './decide-mismatch.ts';
import { decideRefundTotal } from './decide-refund-total.ts';
import { setReview } from './review.ts';
import { unchanged, type AttemptState, type Decision, type PaymentState } from './state.ts';

type PaidFact = ProviderFact & { amountMinor: number };

/** Money arriving after the link closed. */
const LATE_REVIEW = { expired: 'paid_after_expiry', cancelled: 'paid_after_cancel' } as const;

interface Settled {
  payment: PaymentState;
  attempt: AttemptState;
  events: LedgerEvent[];
}

/**
 * A paid claim. Only the attempt's own amount and currency pay; the first paid attempt pays the
 * payment, a second one is a double payment; a provider's refunded total rides along.
 */
export function decidePaid(payment: PaymentState, attempt: AttemptState, fact: ProviderFact, now: number): Decision {
  // A claim of payment without an amount cannot be checked: only a status query may settle it.
  if (fact.amountMinor === undefined) return unchanged(payment, 'amount_missing');
  const paidFact: PaidFact = { ...fact, amountMinor: fact.amountMinor };
  const mismatch = mismatchOf(attempt, paidFact);
  if (mismatch) return decideMismatch(payment, attempt, paidFact, mismatch, now);

  const settled = attempt.status === 'paid' ? { payment, attempt, events: [] } : settleAttempt(payment, attempt, paidFact, now);
  const refunds = decideRefundTotal(settled.payment, attempt.id, fact.refundedTotalMinor, now);
  const events = [...settled.events, ...refunds.events];
  if (events.length === 0) return unchanged(payment, 'duplicate');
  return {
    payment: refunds.payment,
    attempt: settled.attempt,
    events,
    outcome: 'applied',
    providerRefundMinor: refunds.providerRefundMinor,
  };
}

function settleAttempt(payment: PaymentState, attempt: AttemptState, fact: PaidFact, now: number): Settled {
  const next: AttemptState = {
    ...attempt,
    status: 'paid',
    rawStatus: fact.rawStatus,
    flag: null,
    providerPaymentId: attempt.providerPaymentId ?? fact.providerPaymentId ?? null,
  };
  const providerRef = next.providerPaymentId ?? attempt.providerOrderNo;
  if (isMoneyTaken(payment.status)) {
    // Money taken twice for one payment: the customer must get one of them back.
    return {
      payment: setReview(payment, 'double_payment', now),
      attempt: next,
      events: [
        {
          type: 'review_needed',
          reason: 'double_payment',
          attemptId: attempt.id,
          firstAttemptId: payment.paidAttemptId,
          amountMinor: fact.amountMinor,
          providerRef,
        },
      ],
    };
  }
  return { ...payFirst(payment, attempt, fact, providerRef, now), attempt: next };
}

/** The first money for this payment. Taken after the link closed, it is paid and a person decides what to do. */
function payFirst(
  payment: PaymentState,
  attempt: AttemptState,
  fact: PaidFact,
  providerRef: string,
  now: number,
): Omit<Settled, 'attempt'> {
  const paid: PaymentState = {
    ...payment,
    status: 'paid',
    paidAt: fact.occurredAt ?? now,
    paidAmountMinor: fact.amountMinor,
    paidAttemptId: attempt.id,
    providerRef,
  };
  const events: LedgerEvent[] = [
    { type: 'paid', attemptId: attempt.id, amountMinor: fact.amountMinor, currency: attempt.currency, providerRef },
  ];
  const late = payment.status === 'expired' || payment.status === 'cancelled' ? LATE_REVIEW[payment.status] : null;
  if (!late) return { payment: paid, events };
  events.push({ type: 'review_needed', reason: late, attemptId: attempt.id, previousStatus: payment.status });
  return { payment: setReview(paid, late, now), events };
}
