import { isPayable } from '../../../shared/status.ts';
import type { ProviderFact } from '../../providers/provider.ts';
import { unchanged, type AttemptState, type Decision, type PaymentState } from './state.ts';

type ClosingFact = ProviderFact & { status: 'failed' | 'expired' | 'cancelled' };

/**
 * The provider closed an attempt without money. Only the last attempt's failure shows on the
 * payment, and only while the link can still be paid: the customer may try again with it.
 */
export function decideAttemptClosed(
  payment: PaymentState,
  attempts: readonly AttemptState[],
  attempt: AttemptState,
  fact: ClosingFact,
): Decision {
  if (attempt.status === 'paid') return unchanged(payment, 'stale_after_paid');
  if (attempt.status === 'failed' || attempt.status === 'expired' || attempt.status === 'cancelled') {
    return unchanged(payment, 'duplicate');
  }
  const status = fact.status;
  const isLast = attempts.every((a) => a.seq <= attempt.seq);
  const failsPayment = status === 'failed' && isLast && isPayable(payment.status);
  return {
    payment: failsPayment ? { ...payment, status: 'failed' } : payment,
    attempt: { ...attempt, status, rawStatus: fact.rawStatus, flag: null },
    events: [{ type: `attempt_${status}`, attemptId: attempt.id, rawStatus: fact.rawStatus }],
    outcome: 'applied',
  };
}
