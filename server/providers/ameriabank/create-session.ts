import { CURRENCIES, isValidAmountMinor, minorToMajorString } from '../../../shared/money.ts';
import { ProviderError } from '../errors.ts';
import type { CreateSessionInput, CreateSessionResult, ProviderContext } from '../provider.ts';
import type { AmeriabankCredentials } from './credentials.ts';
import { ameriabankPayPageUrl } from './endpoints.ts';
import { bankSaid, describeCode, field } from './fields.ts';
import { orderIdAsInteger } from './order-number.ts';
import { callAmeriabank } from './api-call.ts';

/** Ameriabank's documented maximum (and default) payment-page lifetime. */
export const AMERIABANK_MAX_TIMEOUT_SEC = 1200;

/**
 * InitPayment → PaymentID → GET {base}Payments/Pay?id=…&lang=….
 * Called once: a repeat with the same OrderID overwrites the order's parameters, so an unknown
 * outcome (timeout) is reported, never retried.
 */
export async function createAmeriabankSession(
  ctx: ProviderContext<AmeriabankCredentials>,
  input: CreateSessionInput,
): Promise<CreateSessionResult> {
  const { attempt } = input;
  if (!isValidAmountMinor(attempt.amountMinor)) {
    throw new ProviderError(
      'ameriabank',
      'ameriabank_bad_amount',
      `amount ${attempt.amountMinor} is not a positive integer of minor units`,
    );
  }
  // The bank does not validate Timeout; we keep it inside its documented 1..1200 s.
  const timeoutSec = Math.max(1, Math.min(Math.floor(input.ttlSec), AMERIABANK_MAX_TIMEOUT_SEC));
  const { credentials } = ctx;
  const answer = await callAmeriabank(ctx, 'InitPayment', {
    ClientID: credentials.clientId,
    Username: credentials.username,
    Password: credentials.password,
    // Major units as a decimal string built from the integer: no float ever touches the amount.
    Amount: minorToMajorString(attempt.amountMinor, attempt.currency, { trim: true }),
    Currency: CURRENCIES[attempt.currency].numeric,
    OrderID: orderIdAsInteger(attempt.providerOrderNo),
    Description: input.description,
    BackURL: input.returnUrl,
    // Echoed by every later answer: lets the status map tell our order from a colliding one.
    Opaque: attempt.attemptId,
    Timeout: timeoutSec,
  });

  if (answer.httpStatus >= 500) {
    throw new ProviderError(
      'ameriabank',
      'ameriabank_server_error',
      `InitPayment answered HTTP ${answer.httpStatus}. Ameriabank answers this to some well-formed requests too; it was not retried (a repeat overwrites the order). Check ClientID and the test OrderID range, then open a new attempt.`,
      { httpStatus: answer.httpStatus },
      { said: answer.text },
    );
  }
  if (answer.httpStatus !== 200 || !answer.body) {
    throw new ProviderError(
      'ameriabank',
      'ameriabank_bad_response',
      `InitPayment answered HTTP ${answer.httpStatus} with an unexpected body`,
      { httpStatus: answer.httpStatus },
      { said: answer.text },
    );
  }
  const code = field(answer.body, 'ResponseCode');
  const paymentId = field(answer.body, 'PaymentID');
  // Success is int 1 (or "1"); "01" is "order already exists".
  if (code === '1' && paymentId) {
    return {
      providerPaymentId: paymentId,
      redirect: { method: 'GET', url: ameriabankPayPageUrl(ctx, paymentId, input.language) },
      sessionExpiresAt: ctx.clock.now() + timeoutSec * 1000,
    };
  }
  throw initError(code, describeCode(answer.body), { said: bankSaid(answer.body) });
}

function initError(code: string | undefined, described: string, said: { said?: string }): ProviderError {
  const responseCode = code !== undefined && /^-?\d{1,6}$/.test(code) ? code : null;
  if (code === '20') {
    return new ProviderError(
      'ameriabank',
      'ameriabank_auth_failed',
      `${described}: wrong username, password or ClientID; check the Ameriabank settings (test and live credentials differ).`,
      undefined,
      said,
    );
  }
  if (code === '01' || code === '08204') {
    return new ProviderError(
      'ameriabank',
      'ameriabank_duplicate_order',
      `${described}: this OrderID was already used for your ClientID; a fresh attempt gets a new one.`,
      undefined,
      said,
    );
  }
  if (code === '560') {
    return new ProviderError(
      'ameriabank',
      'ameriabank_init_failed',
      `${described}: the test environment accepts only 10 AMD payments.`,
      {
        responseCode,
      },
      said,
    );
  }
  if (code === '1') {
    return new ProviderError(
      'ameriabank',
      'ameriabank_bad_response',
      `${described} but no PaymentID: cannot open the payment page; try a new attempt.`,
      undefined,
      said,
    );
  }
  return new ProviderError('ameriabank', 'ameriabank_init_failed', `InitPayment refused: ${described}.`, { responseCode }, said);
}
