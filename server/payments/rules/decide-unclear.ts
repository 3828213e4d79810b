import type { ProviderFact } from '../../providers/provider.ts';
import { setReview } from './review.ts';
import { unchanged, type AttemptState, type Decision, type PaymentState } from './state.ts';

/**
 * An answer we cannot settle. Usually nothing to do (the next query will tell); but when the
 * provider says money is held in a way only a person can resolve, the payment goes to review once
 * per attempt and answer: the reconciler asks again and again, a person is asked once.
 */
export function decideUnclear(payment: PaymentState, attempt: AttemptState, fact: ProviderFact, now: number): Decision {
  const alreadyFlagged = attempt.flag?.reason === 'provider_unclear' && attempt.flag.rawStatus === fact.rawStatus;
  if (!fact.needsPerson || attempt.status === 'paid' || alreadyFlagged) return unchanged(payment, 'status_unknown');
  return {
    payment: setReview(payment, 'provider_unclear', now),
    attempt: { ...attempt, rawStatus: fact.rawStatus, flag: { reason: 'provider_unclear', rawStatus: fact.rawStatus } },
    events: [{ type: 'review_needed', reason: 'provider_unclear', attemptId: attempt.id, rawStatus: fact.rawStatus }],
    outcome: 'needs_review',
  };
}
