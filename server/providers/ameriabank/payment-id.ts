import type { ProviderContext } from '../provider.ts';
import type { AmeriabankCredentials } from './credentials.ts';
import { describeCode, field } from './fields.ts';
import { orderIdAsInteger } from './order-number.ts';
import { callAmeriabank } from './api-call.ts';

export type PaymentIdLookup = { found: true; paymentId: string } | { found: false; rawStatus: string };

/**
 * GetPaymentId by our OrderID: recovers the PaymentID when InitPayment timed out before we
 * learned it, so the attempt can still be verified instead of staying pending forever.
 */
export async function lookupAmeriabankPaymentId(
  ctx: ProviderContext<AmeriabankCredentials>,
  providerOrderNo: string,
): Promise<PaymentIdLookup> {
  const { credentials } = ctx;
  const answer = await callAmeriabank(ctx, 'GetPaymentId', {
    ClientID: credentials.clientId,
    Username: credentials.username,
    Password: credentials.password,
    OrderID: orderIdAsInteger(providerOrderNo),
  });
  const paymentId = field(answer.body, 'PaymentId');
  if (answer.httpStatus === 200 && field(answer.body, 'ResponseCode') === '00' && paymentId) {
    return { found: true, paymentId };
  }
  return {
    found: false,
    rawStatus: `no PaymentID known for OrderID ${providerOrderNo}: GetPaymentId answered HTTP ${answer.httpStatus} ${describeCode(answer.body)}`,
  };
}
