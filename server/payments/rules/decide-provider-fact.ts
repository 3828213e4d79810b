import type { ProviderFact } from '../../providers/provider.ts';
import { decideAttemptClosed } from './decide-attempt-closed.ts';
import { decideAuthorized } from './decide-authorized.ts';
import { decidePaid } from './decide-paid.ts';
import { decidePending } from './decide-pending.ts';
import { decideUnclear } from './decide-unclear.ts';
import { unchanged, type AttemptState, type Decision, type PaymentState } from './state.ts';

/**
 * Applies one verified provider fact about `attemptId` (a signed notification or our own status
 * query; the caller has verified it). `attempts` are all attempts of the payment.
 */
export function decideProviderFact(
  payment: PaymentState,
  attempts: readonly AttemptState[],
  attemptId: string,
  fact: ProviderFact,
  now: number,
): Decision {
  const attempt = attempts.find((a) => a.id === attemptId);
  if (!attempt) return unchanged(payment, 'unknown_attempt');
  if (fact.providerOrderNo !== undefined && fact.providerOrderNo !== attempt.providerOrderNo) {
    // Another order's genuine answer must never settle ours.
    return unchanged(payment, 'order_number_mismatch');
  }
  switch (fact.status) {
    case 'unknown':
      return decideUnclear(payment, attempt, fact, now);
    case 'pending':
      return decidePending(payment, attempt, fact);
    case 'authorized':
      return decideAuthorized(payment, attempt, fact, now);
    case 'paid':
      return decidePaid(payment, attempt, fact, now);
    case 'failed':
    case 'expired':
    case 'cancelled':
      return decideAttemptClosed(payment, attempts, attempt, { ...fact, status: fact.status });
  }
}
