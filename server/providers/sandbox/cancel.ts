import type { AttemptRef, CancelResult, ProviderContext } from '../provider.ts';
import { callSandbox, gatewayError, unexpectedStatus } from './api-call.ts';
import type { SandboxCredentials } from './credentials.ts';
import { sessionPath } from './endpoints.ts';
import { requireSession } from './money-moving.ts';

/** Closes an unpaid session so it can no longer be paid. A paid one is refused: refund it instead. */
export async function cancelSandboxPayment(ctx: ProviderContext<SandboxCredentials>, attempt: AttemptRef): Promise<CancelResult> {
  const sessionId = requireSession(attempt);
  const res = await callSandbox(ctx, { method: 'POST', path: sessionPath(sessionId, '/cancel'), operation: 'a cancel' });
  if (res.status === 200) return { state: 'succeeded' };
  if (res.status === 409) {
    const err = gatewayError(res);
    return {
      state: 'failed',
      message: 'the sandbox gateway refused the cancel (HTTP 409)',
      providerSaid: err ? `${err.code}: ${err.message}` : res.text,
    };
  }
  throw unexpectedStatus(res, 'cancelling a sandbox session');
}
