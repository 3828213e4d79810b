import { ProviderError } from '../errors.ts';
import type { AttemptRef, CancelResult, ProviderContext } from '../provider.ts';
import type { AmeriabankCredentials } from './credentials.ts';
import { bankSaid, describeCode, field } from './fields.ts';
import { requirePaymentId } from './money-moving.ts';
import { callAmeriabank } from './api-call.ts';

/**
 * CancelPayment (void). Documented as available for 72 h after InitPayment; we do not guess the
 * window from our clock: the call is always made once and the bank's answer reported.
 */
export async function cancelAmeriabankPayment(ctx: ProviderContext<AmeriabankCredentials>, attempt: AttemptRef): Promise<CancelResult> {
  const paymentId = requirePaymentId(attempt, 'CancelPayment');
  const { credentials } = ctx;
  const answer = await callAmeriabank(ctx, 'CancelPayment', {
    PaymentID: paymentId,
    Username: credentials.username,
    Password: credentials.password,
  });
  if (answer.httpStatus !== 200 || !answer.body) {
    // CancelResult has no "unknown": say so as an error rather than claim it failed.
    throw new ProviderError(
      'ameriabank',
      'ameriabank_outcome_unknown',
      `CancelPayment answered HTTP ${answer.httpStatus}: the cancel may or may not have happened; refresh the payment status before trying again.`,
      { httpStatus: answer.httpStatus },
      { said: answer.text },
    );
  }
  if (field(answer.body, 'ResponseCode') === '00') return { state: 'succeeded', providerSaid: bankSaid(answer.body) };
  return {
    state: 'failed',
    message: `Ameriabank refused the cancel: ${describeCode(answer.body)} (cancel is only possible within 72 h of the payment and before any refund; otherwise refund it).`,
    providerSaid: bankSaid(answer.body),
  };
}
