import type { ProbeResult, ProviderContext } from '../provider.ts';
import { callSandbox, unexpectedStatus } from './api-call.ts';
import type { SandboxCredentials } from './credentials.ts';

/** `GET /sandbox/api/accounts/:accountId/ping` with our API key: 200 when the gateway takes it, 401 when not. */
export async function probeSandbox(ctx: ProviderContext<SandboxCredentials>): Promise<ProbeResult> {
  const res = await callSandbox(ctx, { method: 'GET', path: `/accounts/${ctx.accountId}/ping`, operation: 'ping' });
  if (res.status === 200)
    return { ok: true, code: 'credentials_accepted', message: 'The sandbox gateway answered and accepted the API key.' };
  if (res.status === 401) {
    return {
      ok: false,
      code: 'credentials_rejected',
      message: 'The sandbox gateway refused the API key derived from webhookSecret: the gateway has another secret for this account.',
    };
  }
  return { ok: false, code: 'credentials_rejected', message: unexpectedStatus(res, 'ping').message };
}
