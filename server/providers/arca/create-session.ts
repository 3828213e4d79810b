import { CURRENCIES, isValidAmountMinor } from '../../../shared/money.ts';
import { ProviderError } from '../errors.ts';
import type { CreateSessionInput, CreateSessionResult, ProviderContext } from '../provider.ts';
import type { ArcaCredentials } from './credentials.ts';
import { arcaError, errorCodeOf } from './error-codes.ts';
import { text } from './fields.ts';
import { callArca } from './api-call.ts';

/**
 * register.do (one-stage) → orderId (mdOrder) + formUrl. Called once: the same orderNumber again
 * is refused (errorCode 1), so an unknown outcome is reported, not retried.
 * No dynamicCallbackUrl: older iPay may not know it; the bank's support configures the callback.
 */
export async function createArcaSession(ctx: ProviderContext<ArcaCredentials>, input: CreateSessionInput): Promise<CreateSessionResult> {
  const { attempt } = input;
  if (!isValidAmountMinor(attempt.amountMinor)) {
    throw new ProviderError('arca', 'arca_bad_amount', `amount ${attempt.amountMinor} is not a positive integer of minor units`);
  }
  const ttlSec = Math.max(1, Math.floor(input.ttlSec));
  const answer = await callArca(ctx, 'register', {
    // Minor units: BPC counts in luma/cents, so the integer goes as is.
    amount: String(attempt.amountMinor),
    currency: CURRENCIES[attempt.currency].numeric,
    orderNumber: attempt.providerOrderNo,
    returnUrl: input.returnUrl,
    failUrl: input.failUrl,
    description: input.description,
    language: input.language,
    sessionTimeoutSecs: String(ttlSec),
  });
  if (answer.httpStatus !== 200 || !answer.body) {
    throw new ProviderError(
      'arca',
      'arca_bad_response',
      `register.do answered HTTP ${answer.httpStatus} with a body that is not the gateway's JSON. Check baseUrl (host and test port).`,
      { httpStatus: answer.httpStatus },
      { said: answer.text },
    );
  }
  const code = errorCodeOf(answer.body);
  if (code !== undefined && code !== '0') throw arcaError('register', answer.body);
  const orderId = text(answer.body, 'orderId');
  const formUrl = text(answer.body, 'formUrl');
  // No errorCode is not success by itself: the payment page and its order id must be there.
  if (!orderId || !formUrl || !/^https?:\/\//i.test(formUrl)) {
    throw new ProviderError('arca', 'arca_bad_response', 'register.do answered without an orderId and a formUrl', undefined, {
      said: answer.text,
    });
  }
  return {
    providerPaymentId: orderId,
    redirect: { method: 'GET', url: formUrl },
    sessionExpiresAt: ctx.clock.now() + ttlSec * 1000,
  };
}
