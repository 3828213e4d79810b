import { ProviderError } from '../errors.ts';
import type { AttemptRef, ProviderContext, ProviderFact } from '../provider.ts';
import { callSandbox, parseJson, unexpectedStatus } from './api-call.ts';
import { sessionStatusResponseSchema } from './api-schemas.ts';
import type { SandboxCredentials } from './credentials.ts';
import { sessionPath } from './endpoints.ts';
import { factFromSession } from './status-map.ts';

export async function querySandboxStatus(ctx: ProviderContext<SandboxCredentials>, attempt: AttemptRef): Promise<ProviderFact> {
  const sessionId = attempt.providerPaymentId?.trim();
  if (!sessionId) {
    // No session id means the create never answered: no checkout page was shown, nothing can be paid.
    return { status: 'pending', rawStatus: 'no sandbox session id: the session create never completed' };
  }
  const res = await callSandbox(ctx, { method: 'GET', path: sessionPath(sessionId), operation: 'reading a session' });
  if (res.status === 404) {
    throw new ProviderError(
      'sandbox',
      'sandbox_session_not_found',
      `sandbox session ${sessionId} does not exist (was the database reset?)`,
    );
  }
  if (res.status !== 200) throw unexpectedStatus(res, 'querying a sandbox session');
  const parsed = sessionStatusResponseSchema.safeParse(parseJson(res, 'querying a sandbox session'));
  if (!parsed.success) {
    throw new ProviderError('sandbox', 'sandbox_bad_response', 'the sandbox gateway answered a status query in an unknown shape', {
      issues: parsed.error.issues,
    });
  }
  return factFromSession(parsed.data);
}
