import { ProviderError } from '../errors.ts';
import type { AttemptRef } from '../provider.ts';

/** Refund and cancel act on the gateway's session id; without it there is nothing to act on. */
export function requireSession(attempt: AttemptRef): string {
  const sessionId = attempt.providerPaymentId?.trim();
  if (!sessionId) {
    throw new ProviderError('sandbox', 'sandbox_no_session', `attempt ${attempt.attemptId} has no sandbox session id: it was never opened`);
  }
  return sessionId;
}
