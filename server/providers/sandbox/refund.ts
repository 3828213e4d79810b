import type { AttemptRef, ProviderContext, RefundResult } from '../provider.ts';
import { callSandbox, gatewayError, parseJson, unexpectedStatus } from './api-call.ts';
import { refundResponseSchema } from './api-schemas.ts';
import type { SandboxCredentials } from './credentials.ts';
import { sessionPath } from './endpoints.ts';
import { requireSession } from './money-moving.ts';

/**
 * Money-moving, called once. The gateway is idempotent on refundId, so the ledger may repeat a call
 * with the same refundId after a timeout; the answer is then the first refund's.
 */
export async function refundSandboxPayment(
  ctx: ProviderContext<SandboxCredentials>,
  attempt: AttemptRef,
  amountMinor: number,
  opts: { refundId: string },
): Promise<RefundResult> {
  const sessionId = requireSession(attempt);
  const res = await callSandbox(ctx, {
    method: 'POST',
    path: sessionPath(sessionId, '/refunds'),
    operation: 'a refund',
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
    return {
      state: 'failed',
      message: `the sandbox gateway refused the refund (HTTP ${res.status})`,
      providerSaid: err ? `${err.code}: ${err.message}` : res.text,
    };
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
