import type { AttemptStatus, PaymentStatus, ReviewReason } from './status.ts';
import { isMoneyTaken, isPayable } from './status.ts';

/**
 * The payment rules of design.md ("Status"), as pure functions: given the current state and one
 * fact, return the next state and the events that happened. No I/O, no clock: the server wraps
 * these in one database transaction with audit and outbox rows; tests drive them directly.
 */

export interface PaymentState {
  status: PaymentStatus;
  amountMinor: number;
  currency: string;
  expiresAt: number;
  paidAt: number | null;
  paidAmountMinor: number | null;
  paidAttemptId: string | null;
  providerRef: string | null;
  refundedAmountMinor: number;
  reviewReason: ReviewReason | null;
  reviewSince: number | null;
}

export interface AttemptState {
  id: string;
  status: AttemptStatus;
  amountMinor: number;
  currency: string;
  providerOrderNo: string;
  providerPaymentId: string | null;
  rawStatus: string | null;
  /** Creation order within the payment: the highest is "the last attempt". */
  seq: number;
}

/** A verified statement about an attempt (see server/providers/provider.ts ProviderFact). */
export interface VerifiedFact {
  status: 'pending' | 'paid' | 'failed' | 'expired' | 'cancelled' | 'unknown';
  amountMinor?: number;
  currency?: string;
  /** A currency the provider named that we do not recognise: a mismatch, never paid. */
  unrecognizedCurrency?: string;
  refundedTotalMinor?: number;
  providerOrderNo?: string;
  providerPaymentId?: string;
  rawStatus: string;
  occurredAt?: number;
  /** With 'unknown': money may be held in a way only a person can settle. */
  needsPerson?: boolean;
}

/** Something that happened, written to the audit trail; `note` and `task` say what the CRM hears. */
export interface LedgerEvent {
  action: string;
  details: Record<string, unknown>;
  /** A note on the lead for this event. */
  note: boolean;
  /** An exception a person must handle (a task in amoCRM, an entry in /exceptions). */
  exception?: { kind: 'needs_review' | 'refund_failed'; reason: string };
}

export interface Decision {
  payment: PaymentState;
  attempt?: AttemptState;
  events: LedgerEvent[];
  /** Why nothing changed, when nothing did (kept on the inbox row for support). */
  outcome: string;
  /** Refund to record from a provider's cumulative total (minor units), if it grew. */
  providerRefundMinor?: number;
}

function setReview(p: PaymentState, reason: ReviewReason, now: number): PaymentState {
  // The first reason stays: it is the one a person has to look at first; later ones are in the audit.
  if (p.reviewReason) return p;
  return { ...p, reviewReason: reason, reviewSince: now };
}

function refundStatus(p: PaymentState): PaymentStatus {
  if (!isMoneyTaken(p.status)) return p.status;
  if (p.refundedAmountMinor <= 0) return 'paid';
  return p.refundedAmountMinor >= (p.paidAmountMinor ?? p.amountMinor) ? 'refunded' : 'partially_refunded';
}

/** Apply one verified provider fact about `attemptId`. `attempts` are all attempts of the payment. */
export function decideProviderFact(
  payment: PaymentState,
  attempts: readonly AttemptState[],
  attemptId: string,
  fact: VerifiedFact,
  now: number,
): Decision {
  const attempt = attempts.find((a) => a.id === attemptId);
  if (!attempt) return { payment, events: [], outcome: 'unknown_attempt' };
  if (fact.providerOrderNo !== undefined && fact.providerOrderNo !== attempt.providerOrderNo) {
    // Another order's genuine answer must never settle ours.
    return { payment, events: [], outcome: 'order_number_mismatch' };
  }
  switch (fact.status) {
    case 'unknown':
      return decideUnclear(payment, attempt, fact, now);
    case 'pending':
      return decidePending(payment, attempt, fact);
    case 'paid':
      return decidePaid(payment, attempt, fact, now);
    case 'failed':
    case 'expired':
    case 'cancelled':
      return decideAttemptClosed(payment, attempts, attempt, fact);
  }
}

/**
 * An answer we cannot settle. Usually nothing to do (the next query will tell); but when the
 * provider says money is held in a way only a person can resolve, the payment goes to review once.
 */
function decideUnclear(payment: PaymentState, attempt: AttemptState, fact: VerifiedFact, now: number): Decision {
  const marker = `unclear:${fact.rawStatus}`;
  // Once per attempt and answer: the reconciler asks again and again, a person is asked once.
  if (!fact.needsPerson || attempt.status === 'paid' || attempt.rawStatus === marker) {
    return { payment, events: [], outcome: 'status_unknown' };
  }
  return {
    payment: setReview(payment, 'provider_unclear', now),
    attempt: { ...attempt, rawStatus: marker },
    events: [
      {
        action: 'provider_unclear',
        details: { attemptId: attempt.id, rawStatus: fact.rawStatus },
        note: true,
        exception: { kind: 'needs_review', reason: 'provider_unclear' },
      },
    ],
    outcome: 'needs_review',
  };
}

function decidePending(payment: PaymentState, attempt: AttemptState, fact: VerifiedFact): Decision {
  if (attempt.status !== 'created') return { payment, events: [], outcome: 'no_change' };
  const next: AttemptState = {
    ...attempt,
    status: 'pending',
    rawStatus: fact.rawStatus,
    providerPaymentId: attempt.providerPaymentId ?? fact.providerPaymentId ?? null,
  };
  return {
    payment,
    attempt: next,
    events: [{ action: 'attempt_pending', details: { attemptId: attempt.id, rawStatus: fact.rawStatus }, note: false }],
    outcome: 'applied',
  };
}

function decidePaid(payment: PaymentState, attempt: AttemptState, fact: VerifiedFact, now: number): Decision {
  if (fact.amountMinor === undefined) {
    // A claim of payment without an amount cannot be checked: only a status query may settle it.
    return { payment, events: [], outcome: 'amount_missing' };
  }
  // Not naming a currency is fine (the signed order ties it to ours); naming an unknown one is not.
  const currencyOk = fact.unrecognizedCurrency === undefined && (fact.currency === undefined || fact.currency === attempt.currency);
  const amountOk = fact.amountMinor === attempt.amountMinor;
  if (!currencyOk || !amountOk) {
    const reason: ReviewReason = currencyOk ? 'amount_mismatch' : 'currency_mismatch';
    const reviewed = setReview(payment, reason, now);
    // The attempt carries the marker of the mismatch it was flagged for: a replay of that fact is a
    // duplicate even when the payment's review shows an earlier, different reason (first reason stays).
    const alreadyFlagged = attempt.rawStatus === `mismatch:${fact.rawStatus}`;
    if (alreadyFlagged) return { payment, events: [], outcome: 'duplicate' };
    return {
      payment: reviewed,
      attempt: { ...attempt, rawStatus: `mismatch:${fact.rawStatus}` },
      events: [
        {
          action: reason,
          details: {
            attemptId: attempt.id,
            expected: { amountMinor: attempt.amountMinor, currency: attempt.currency },
            reported: { amountMinor: fact.amountMinor, currency: fact.currency ?? fact.unrecognizedCurrency ?? null },
          },
          note: true,
          exception: { kind: 'needs_review', reason },
        },
      ],
      outcome: 'needs_review',
    };
  }

  const events: LedgerEvent[] = [];
  let nextAttempt = attempt;
  let next = payment;

  if (attempt.status !== 'paid') {
    nextAttempt = {
      ...attempt,
      status: 'paid',
      rawStatus: fact.rawStatus,
      providerPaymentId: attempt.providerPaymentId ?? fact.providerPaymentId ?? null,
    };
    const ref = nextAttempt.providerPaymentId ?? attempt.providerOrderNo;
    if (isMoneyTaken(payment.status)) {
      // Money taken twice for one payment: the customer must get one of them back.
      next = setReview(payment, 'double_payment', now);
      events.push({
        action: 'double_payment',
        details: { attemptId: attempt.id, firstAttemptId: payment.paidAttemptId, amountMinor: fact.amountMinor, providerRef: ref },
        note: true,
        exception: { kind: 'needs_review', reason: 'double_payment' },
      });
    } else {
      const late: ReviewReason | null =
        payment.status === 'expired' ? 'paid_after_expiry' : payment.status === 'cancelled' ? 'paid_after_cancel' : null;
      next = {
        ...payment,
        status: 'paid',
        paidAt: fact.occurredAt ?? now,
        paidAmountMinor: fact.amountMinor,
        paidAttemptId: attempt.id,
        providerRef: ref,
      };
      events.push({
        action: 'paid',
        details: { attemptId: attempt.id, amountMinor: fact.amountMinor, currency: attempt.currency, providerRef: ref },
        note: true,
      });
      if (late) {
        // The money was taken after the link closed: it is paid, and a person must decide what to do.
        next = setReview(next, late, now);
        events.push({
          action: late,
          details: { attemptId: attempt.id, previousStatus: payment.status },
          note: true,
          exception: { kind: 'needs_review', reason: late },
        });
      }
    }
  }

  let providerRefundMinor: number | undefined;
  if (fact.refundedTotalMinor !== undefined && next.paidAttemptId === attempt.id) {
    const paid = next.paidAmountMinor ?? next.amountMinor;
    const total = Math.min(fact.refundedTotalMinor, paid);
    if (total > next.refundedAmountMinor) {
      providerRefundMinor = total - next.refundedAmountMinor;
      next = { ...next, refundedAmountMinor: total };
      next = { ...next, status: refundStatus(next) };
      events.push({
        action: next.status === 'refunded' ? 'refunded' : 'partially_refunded',
        details: { attemptId: attempt.id, amountMinor: providerRefundMinor, refundedTotalMinor: total, source: 'provider' },
        note: true,
      });
    }
    if (fact.refundedTotalMinor > paid) {
      const before = next.reviewReason;
      next = setReview(next, 'refund_exceeds_paid', now);
      if (!before && !events.some((e) => e.action === 'refund_exceeds_paid')) {
        events.push({
          action: 'refund_exceeds_paid',
          details: { attemptId: attempt.id, reportedTotalMinor: fact.refundedTotalMinor, paidMinor: paid },
          note: true,
          exception: { kind: 'needs_review', reason: 'refund_exceeds_paid' },
        });
      }
    }
  }

  if (events.length === 0) return { payment, events, outcome: 'duplicate' };
  return { payment: next, attempt: nextAttempt, events, outcome: 'applied', providerRefundMinor };
}

function decideAttemptClosed(
  payment: PaymentState,
  attempts: readonly AttemptState[],
  attempt: AttemptState,
  fact: VerifiedFact,
): Decision {
  if (attempt.status === 'paid') return { payment, events: [], outcome: 'stale_after_paid' };
  if (attempt.status === 'failed' || attempt.status === 'expired' || attempt.status === 'cancelled') {
    return { payment, events: [], outcome: 'duplicate' };
  }
  const status = fact.status as 'failed' | 'expired' | 'cancelled';
  const nextAttempt: AttemptState = { ...attempt, status, rawStatus: fact.rawStatus };
  const isLast = attempts.every((a) => a.seq <= attempt.seq);
  let next = payment;
  // Only the last attempt's failure shows on the payment; the link stays open for another try.
  if (status === 'failed' && isLast && isPayable(payment.status)) next = { ...payment, status: 'failed' };
  return {
    payment: next,
    attempt: nextAttempt,
    events: [
      {
        action: `attempt_${status}`,
        details: { attemptId: attempt.id, rawStatus: fact.rawStatus },
        note: status === 'failed',
      },
    ],
    outcome: 'applied',
  };
}

/** A new attempt returns a failed payment to awaiting. Throws for payments that cannot be paid. */
export function decideAttemptOpened(
  payment: PaymentState,
  now: number,
): { payment: PaymentState } | { refused: 'already_paid' | 'expired' | 'cancelled' } {
  if (isMoneyTaken(payment.status)) return { refused: 'already_paid' };
  if (payment.status === 'cancelled') return { refused: 'cancelled' };
  if (payment.status === 'expired' || now >= payment.expiresAt) return { refused: 'expired' };
  return { payment: payment.status === 'failed' ? { ...payment, status: 'awaiting' } : payment };
}

export function decideExpire(payment: PaymentState, now: number): Decision {
  if (!isPayable(payment.status) || now < payment.expiresAt) return { payment, events: [], outcome: 'no_change' };
  return {
    payment: { ...payment, status: 'expired' },
    events: [{ action: 'expired', details: { expiresAt: payment.expiresAt }, note: true }],
    outcome: 'applied',
  };
}

export function decideCancel(payment: PaymentState): Decision | { refused: 'already_paid' | 'expired' | 'cancelled' } {
  if (isMoneyTaken(payment.status)) return { refused: 'already_paid' };
  if (payment.status === 'cancelled') return { refused: 'cancelled' };
  if (payment.status === 'expired') return { refused: 'expired' };
  return {
    payment: { ...payment, status: 'cancelled' },
    events: [{ action: 'cancelled', details: {}, note: true }],
    outcome: 'applied',
  };
}

/** How much may still be refunded. */
export function refundableMinor(payment: PaymentState): number {
  if (!isMoneyTaken(payment.status)) return 0;
  return Math.max(0, (payment.paidAmountMinor ?? payment.amountMinor) - payment.refundedAmountMinor);
}

/** A refund we asked for succeeded: add it to the total (never beyond what was paid). */
export function decideRefundSucceeded(payment: PaymentState, amountMinor: number, refundId: string): Decision {
  const allowed = Math.min(amountMinor, refundableMinor(payment));
  if (allowed <= 0) return { payment, events: [], outcome: 'nothing_to_refund' };
  let next: PaymentState = { ...payment, refundedAmountMinor: payment.refundedAmountMinor + allowed };
  next = { ...next, status: refundStatus(next) };
  return {
    payment: next,
    events: [
      {
        action: next.status === 'refunded' ? 'refunded' : 'partially_refunded',
        details: { refundId, amountMinor: allowed, refundedTotalMinor: next.refundedAmountMinor, source: 'manager' },
        note: true,
      },
    ],
    outcome: 'applied',
  };
}
