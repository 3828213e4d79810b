import { ProviderError } from '../errors.ts';
import type { AttemptRef, ProviderContext, ProviderFact } from '../provider.ts';
import type { AmeriabankCredentials } from './credentials.ts';
import { factFromPaymentDetails } from './status-map.ts';
import { lookupAmeriabankPaymentId } from './payment-id.ts';
import { callAmeriabank } from './api-call.ts';

/**
 * The only way to learn what happened (the return is unsigned): GetPaymentDetails, which takes no
 * ClientID. Without a PaymentID (InitPayment timed out) it is first looked up by our OrderID.
 */
export async function queryAmeriabankStatus(ctx: ProviderContext<AmeriabankCredentials>, attempt: AttemptRef): Promise<ProviderFact> {
  let paymentId = attempt.providerPaymentId ?? undefined;
  if (!paymentId) {
    const lookup = await lookupAmeriabankPaymentId(ctx, attempt.providerOrderNo);
    if (!lookup.found) return { status: 'pending', rawStatus: lookup.rawStatus };
    paymentId = lookup.paymentId;
  }
  const { credentials } = ctx;
  const answer = await callAmeriabank(ctx, 'GetPaymentDetails', {
    PaymentID: paymentId,
    Username: credentials.username,
    Password: credentials.password,
  });
  if (answer.httpStatus === 500) {
    // Observed for a PaymentID nobody has tried to pay yet; never a reason to call it paid or failed.
    return {
      status: 'pending',
      providerPaymentId: paymentId,
      rawStatus: 'HTTP 500: Ameriabank answers this for a payment not attempted yet',
    };
  }
  if (answer.httpStatus !== 200 || !answer.body) {
    throw new ProviderError(
      'ameriabank',
      'ameriabank_bad_response',
      `GetPaymentDetails answered HTTP ${answer.httpStatus} with a body that is not the bank's JSON; the status will be asked again later.`,
      { httpStatus: answer.httpStatus },
      { said: answer.text },
    );
  }
  return factFromPaymentDetails(answer.body, attempt, paymentId, { twoStage: credentials.twoStage === true });
}
