import { ProviderError } from '../errors.ts';
import type { AttemptRef, ProviderContext, ProviderFact } from '../provider.ts';
import type { ArcaCredentials } from './credentials.ts';
import { factFromArcaOrderStatus } from './status-map.ts';
import { callArca } from './api-call.ts';

/**
 * getOrderStatusExtended.do by the gateway's orderId, or by our orderNumber when register.do's
 * answer never reached us (timeout): the order can still be found and settled.
 */
export async function queryArcaStatus(ctx: ProviderContext<ArcaCredentials>, attempt: AttemptRef): Promise<ProviderFact> {
  const by: Record<string, string> = attempt.providerPaymentId
    ? { orderId: attempt.providerPaymentId }
    : { orderNumber: attempt.providerOrderNo };
  const answer = await callArca(ctx, 'getOrderStatusExtended', by);
  if (answer.httpStatus !== 200 || !answer.body) {
    throw new ProviderError(
      'arca',
      'arca_bad_response',
      `getOrderStatusExtended.do answered HTTP ${answer.httpStatus} with a body that is not the gateway's JSON; the status will be asked again later.`,
      { httpStatus: answer.httpStatus },
      { said: answer.text },
    );
  }
  return factFromArcaOrderStatus(answer.body, attempt);
}
