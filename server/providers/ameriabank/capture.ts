import { isValidAmountMinor, minorToMajorString } from '../../../shared/money.ts';
import { ProviderError } from '../errors.ts';
import type { AttemptRef, CaptureResult, ProviderContext } from '../provider.ts';
import { callAmeriabank } from './api-call.ts';
import type { AmeriabankCredentials } from './credentials.ts';
import { bankSaid, describeCode, field } from './fields.ts';
import { requirePaymentId } from './money-moving.ts';

/**
 * ConfirmPayment (two-stage capture) {PaymentID, Username, Password, Amount}. Money-moving and
 * without an idempotency key: called once; a timeout throws ProviderTimeoutError and an answer that
 * does not say is `ameriabank_outcome_unknown`: GetPaymentDetails settles it (OrderStatus 2 =
 * captured, still 1 = not).
 */
export async function captureAmeriabankPayment(
  ctx: ProviderContext<AmeriabankCredentials>,
  attempt: AttemptRef,
  amountMinor: number,
): Promise<CaptureResult> {
  if (!isValidAmountMinor(amountMinor)) {
    throw new ProviderError(
      'ameriabank',
      'ameriabank_bad_amount',
      `capture amount ${amountMinor} is not a positive integer of minor units`,
    );
  }
  const paymentId = requirePaymentId(attempt, 'ConfirmPayment');
  const { credentials } = ctx;
  const answer = await callAmeriabank(ctx, 'ConfirmPayment', {
    PaymentID: paymentId,
    Username: credentials.username,
    Password: credentials.password,
    Amount: minorToMajorString(amountMinor, attempt.currency, { trim: true }),
  });
  if (answer.httpStatus !== 200 || !answer.body) {
    throw new ProviderError(
      'ameriabank',
      'ameriabank_outcome_unknown',
      `ConfirmPayment answered HTTP ${answer.httpStatus}: the capture may or may not have happened; the payment status tells.`,
      { httpStatus: answer.httpStatus },
      { said: answer.text },
    );
  }
  if (field(answer.body, 'ResponseCode') === '00') return { state: 'succeeded' };
  return {
    state: 'failed',
    message: `Ameriabank refused the capture: ${describeCode(answer.body)} (the hold may have expired, or two-stage is not enabled for this ClientID).`,
    providerSaid: bankSaid(answer.body),
  };
}
