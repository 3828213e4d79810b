import type { AttemptRef, CancelResult, ProviderContext } from '../provider.ts';
import { sandboxAuthHeader } from './api-key.ts';
import { SANDBOX_MOUNT_PATH } from './constants.ts';
import type { SandboxCredentials } from './credentials.ts';
import { baseOf, gatewayError, sandboxRequest, unexpectedStatus } from './http-call.ts';
import { requireSession } from './refund.ts';

/** Closes an unpaid session so it can no longer be paid. A paid one is refused: refund it instead. */
export async function cancelSandbox(ctx: ProviderContext<SandboxCredentials>, attempt: AttemptRef): Promise<CancelResult> {
  const sessionId = requireSession(attempt);
  const res = await sandboxRequest(ctx.http, {
    method: 'POST',
    url: `${baseOf(ctx)}${SANDBOX_MOUNT_PATH}/api/sessions/${encodeURIComponent(sessionId)}/cancel`,
    headers: sandboxAuthHeader(ctx.credentials.webhookSecret, ctx.accountId),
  });
  if (res.status === 200) return { state: 'succeeded' };
  if (res.status === 409) {
    const err = gatewayError(res);
    return { state: 'failed', message: err ? `${err.code}: ${err.message}` : 'refused with HTTP 409' };
  }
  throw unexpectedStatus(res, 'cancelling a sandbox session');
}
