import type { ProviderFact } from '../../providers/provider.ts';
import { unchanged, type AttemptState, type Decision, type PaymentState } from './state.ts';

/** The provider has the session: a created attempt becomes pending; anything further along stays. */
export function decidePending(payment: PaymentState, attempt: AttemptState, fact: ProviderFact): Decision {
  if (attempt.status !== 'created') return unchanged(payment, 'no_change');
  const next: AttemptState = {
    ...attempt,
    status: 'pending',
    rawStatus: fact.rawStatus,
    flag: null,
    providerPaymentId: attempt.providerPaymentId ?? fact.providerPaymentId ?? null,
  };
  return {
    payment,
    attempt: next,
    events: [{ type: 'attempt_pending', attemptId: attempt.id, rawStatus: fact.rawStatus }],
    outcome: 'applied',
  };
}
