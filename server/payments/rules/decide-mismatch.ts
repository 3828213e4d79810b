import type { ProviderFact } from '../../providers/provider.ts';
import { setReview } from './review.ts';
import { unchanged, type AttemptState, type Decision, type PaymentState } from './state.ts';

type MismatchReason = 'amount_mismatch' | 'currency_mismatch';

/**
 * Whether a paid claim differs from what the attempt asked for. Not naming a currency is fine (the
 * signed order ties it to ours); naming an unknown one is a mismatch.
 */
export function mismatchOf(attempt: AttemptState, fact: ProviderFact & { amountMinor: number }): MismatchReason | null {
  const currencyOk = fact.unrecognizedCurrency === undefined && (fact.currency === undefined || fact.currency === attempt.currency);
  if (!currencyOk) return 'currency_mismatch';
  return fact.amountMinor === attempt.amountMinor ? null : 'amount_mismatch';
}

/**
 * A paid claim for the wrong money is never paid: a person must look. The attempt remembers the
 * answer it was flagged for, so a replay of that answer is a duplicate even when the payment's
 * review shows an earlier, different reason (the first reason stays).
 */
export function decideMismatch(
  payment: PaymentState,
  attempt: AttemptState,
  fact: ProviderFact & { amountMinor: number },
  reason: MismatchReason,
  now: number,
): Decision {
  const flag = attempt.flag;
  const alreadyFlagged = (flag?.reason === 'amount_mismatch' || flag?.reason === 'currency_mismatch') && flag.rawStatus === fact.rawStatus;
  if (alreadyFlagged) return unchanged(payment, 'duplicate');
  return {
    payment: setReview(payment, reason, now),
    attempt: { ...attempt, rawStatus: fact.rawStatus, flag: { reason, rawStatus: fact.rawStatus } },
    events: [
      {
        type: 'review_needed',
        reason,
        attemptId: attempt.id,
        expected: { amountMinor: attempt.amountMinor, currency: attempt.currency },
        reported: { amountMinor: fact.amountMinor, currency: fact.currency ?? fact.unrecognizedCurrency ?? null },
      },
    ],
    outcome: 'needs_review',
  };
}
