import type { ProviderFact } from '../../providers/provider.ts';
import { decideMismatch, mismatchOf } from './decide-mismatch.ts';
import { unchanged, type AttemptState, type Decision, type PaymentState } from './state.ts';

/**
 * A two-stage provider holds the customer's funds (docs/architecture.md, Hold and capture). A hold
 * is not money taken: the attempt becomes `authorized`, the payment keeps its status (awaiting in
 * the CRM), and what happens next (capture or void) is hold-follow-up.ts's to say. A hold for the
 * wrong amount or currency is a review, like a paid claim would be.
 */
export function decideAuthorized(payment: PaymentState, attempt: AttemptState, fact: ProviderFact, now: number): Decision {
  if (attempt.status === 'paid') return unchanged(payment, 'stale_after_paid');
  if (attempt.status === 'failed' || attempt.status === 'expired' || attempt.status === 'cancelled') {
    // A hold released (voided) or a session closed: an older answer about it changes nothing.
    return unchanged(payment, 'stale_after_closed');
  }
  if (attempt.status === 'authorized') return unchanged(payment, 'duplicate');
  if (fact.amountMinor === undefined) return unchanged(payment, 'amount_missing');
  const held = { ...fact, amountMinor: fact.amountMinor };
  const mismatch = mismatchOf(attempt, held);
  if (mismatch) return decideMismatch(payment, attempt, held, mismatch, now);
  const captureMode = fact.captureMode ?? 'auto';
  return {
    payment,
    attempt: {
      ...attempt,
      status: 'authorized',
      rawStatus: fact.rawStatus,
      flag: null,
      providerPaymentId: attempt.providerPaymentId ?? fact.providerPaymentId ?? null,
      heldAt: fact.occurredAt ?? now,
      captureMode,
    },
    events: [{ type: 'authorized', attemptId: attempt.id, amountMinor: held.amountMinor, currency: attempt.currency, captureMode }],
    outcome: 'applied',
  };
}
