import { ProviderError } from '../errors.ts';
import type { AttemptRef, ProviderContext, RefundResult } from '../provider.ts';
import { sandboxAuthHeader } from './api-key.ts';
import { refundResponseSchema } from './api-schemas.ts';
import { SANDBOX_MOUNT_PATH } from './constants.ts';
import type { SandboxCredentials } from './credentials.ts';
import { baseOf, gatewayError, parseJson, sandboxRequest, unexpectedStatus } from './http-call.ts';

/**
 * Money-moving, called once. The gateway is idempotent on refundId, so the ledger may repeat a call
 * with the same refundId after a timeout; the answer is then the first refund's.
 */
export async function refundSandbox(
  ctx: ProviderContext<SandboxCredentials>,
  attempt: AttemptRef,
  amountMinor: number,
  opts: { refundId: string },
): Promise<RefundResult> {
  const sessionId = requireSession(attempt);
  const res = await sandboxRequest(ctx.http, {
    method: 'POST',
    url: `${baseOf(ctx)}${SANDBOX_MOUNT_PATH}/api/sessions/${encodeURIComponent(sessionId)}/refunds`,
    headers: sandboxAuthHeader(ctx.credentials.webhookSecret, ctx.accountId),
    body: { amountMinor, refundId: opts.refundId },
  });
  if (res.status === 200 || res.status === 201) {
    const parsed = refundResponseSchema.safeParse(parseJson(res, 'refunding a sandbox session'));
    if (!parsed.success) {
      // The refund happened (2xx) but the answer is unreadable: let a status query settle the total.
      return { state: 'pending', providerRefundId: opts.refundId, message: 'sandbox refund answered in an unknown shape' };
    }
    return { state: 'succeeded', providerRefundId: parsed.data.refundId };
  }
  if (res.status === 409 || res.status === 422) {
    const err = gatewayError(res);
    return { state: 'failed', message: err ? `${err.code}: ${err.message}` : `refused with HTTP ${res.status}` };
  }
  if (res.status >= 500) {
    return {
      state: 'pending',
      providerRefundId: opts.refundId,
      message: `sandbox gateway HTTP ${res.status}: outcome unknown, query the status`,
    };
  }
  throw unexpectedStatus(res, 'refunding a sandbox session');
}

export function requireSession(attempt: AttemptRef): string {
  const sessionId = attempt.providerPaymentId?.trim();
  if (!sessionId) {
    throw new ProviderError('sandbox', 'sandbox_no_session', `attempt ${attempt.attemptId} has no sandbox session id: it was never opened`);
  }
  return sessionId;
}
