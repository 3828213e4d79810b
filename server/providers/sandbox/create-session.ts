import { ProviderError } from '../errors.ts';
import type { CreateSessionInput, CreateSessionResult, ProviderContext } from '../provider.ts';
import { callSandbox, parseJson, unexpectedStatus } from './api-call.ts';
import { createSessionResponseSchema } from './api-schemas.ts';
import { SANDBOX_MAX_TTL_SEC, SANDBOX_MIN_TTL_SEC } from './constants.ts';
import type { SandboxCredentials } from './credentials.ts';

/** A server-side create, like the card gateways: POST the session, send the browser to checkoutUrl. */
export async function createSandboxSession(
  ctx: ProviderContext<SandboxCredentials>,
  input: CreateSessionInput,
): Promise<CreateSessionResult> {
  const { attempt } = input;
  const ttlSec = Math.max(SANDBOX_MIN_TTL_SEC, Math.min(SANDBOX_MAX_TTL_SEC, Math.floor(input.ttlSec)));
  const res = await callSandbox(ctx, {
    method: 'POST',
    path: '/sessions',
    operation: 'creating a session',
    body: {
      orderNo: attempt.providerOrderNo,
      amountMinor: attempt.amountMinor,
      currency: attempt.currency,
      description: input.description,
      returnUrl: input.returnUrl,
      notifyUrl: input.notifyUrl,
      ttlSec,
    },
  });
  if (res.status !== 201 && res.status !== 200) throw unexpectedStatus(res, 'creating a sandbox session');
  const parsed = createSessionResponseSchema.safeParse(parseJson(res, 'creating a sandbox session'));
  if (!parsed.success) {
    throw new ProviderError(
      'sandbox',
      'sandbox_bad_response',
      'the sandbox gateway answered a create without sessionId/checkoutUrl/expiresAt',
      { issues: parsed.error.issues },
    );
  }
  return {
    providerPaymentId: parsed.data.sessionId,
    redirect: { method: 'GET', url: parsed.data.checkoutUrl },
    sessionExpiresAt: parsed.data.expiresAt,
  };
}
