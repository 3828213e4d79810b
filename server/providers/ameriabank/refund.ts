import { isValidAmountMinor, minorToMajorString } from '../../../shared/money.ts';
import { ProviderError } from '../errors.ts';
import type { AttemptRef, ProviderContext, RefundResult } from '../provider.ts';
import type { AmeriabankCredentials } from './credentials.ts';
import { bankSaid, describeCode, field } from './fields.ts';
import { requirePaymentId } from './money-moving.ts';
import { snippet } from '../transport/snippet.ts';
import { callAmeriabank } from './api-call.ts';

/**
 * RefundPayment (full or partial; partial refunds accumulate). Ameriabank has no idempotency key,
 * so this is called once: a timeout throws ProviderTimeoutError and an HTTP 500 is 'pending'
 * (outcome unknown); reconcile with GetPaymentDetails' RefundedAmount, never by refunding again.
 */
export async function refundAmeriabankPayment(
  ctx: ProviderContext<AmeriabankCredentials>,
  attempt: AttemptRef,
  amountMinor: number,
): Promise<RefundResult> {
  if (!isValidAmountMinor(amountMinor)) {
    throw new ProviderError('ameriabank', 'ameriabank_bad_amount', `refund amount ${amountMinor} is not a positive integer of minor units`);
  }
  const paymentId = requirePaymentId(attempt, 'RefundPayment');
  const { credentials } = ctx;
  const answer = await callAmeriabank(ctx, 'RefundPayment', {
    PaymentID: paymentId,
    Username: credentials.username,
    Password: credentials.password,
    Amount: minorToMajorString(amountMinor, attempt.currency, { trim: true }),
  });
  if (answer.httpStatus !== 200 || !answer.body) {
    return {
      state: 'pending',
      message: `RefundPayment answered HTTP ${answer.httpStatus}: the refund may or may not have happened; refresh the payment status before trying again.`,
      providerSaid: snippet(answer.text),
    };
  }
  if (field(answer.body, 'ResponseCode') === '00') return { state: 'succeeded', providerSaid: bankSaid(answer.body) };
  // "07" is overloaded ("Refund amount exceeds deposited amount", …): the bank's own message, logged, says which.
  return { state: 'failed', message: `Ameriabank refused the refund: ${describeCode(answer.body)}`, providerSaid: bankSaid(answer.body) };
}
