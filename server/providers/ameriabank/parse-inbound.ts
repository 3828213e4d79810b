import { InboundRejectedError } from '../errors.ts';
import type { InboundReading, InboundRequest } from '../provider.ts';
import { readAmeriabankParams } from './inbound-params.ts';

/**
 * The browser's return to BackURL: `orderID, resposneCode (sic), paymentID, opaque, description`.
 * Unsigned (a POST is read the same way and is just as unauthenticated): it only says which
 * attempt to verify with GetPaymentDetails, so it never carries a fact.
 */
export function parseAmeriabankInbound(req: InboundRequest): InboundReading {
  const params = readAmeriabankParams(req);
  const paymentId = params.get('paymentid');
  const orderId = params.get('orderid');
  if (!paymentId || !orderId) {
    throw new InboundRejectedError(
      'ameriabank_return_incomplete',
      400,
      'Ameriabank return without paymentID and orderID: nothing to verify.',
    );
  }
  // Both end up in keys and queries: refuse anything that is not an id.
  if (!/^[A-Za-z0-9-]{1,64}$/.test(paymentId) || !/^\d{1,12}$/.test(orderId)) {
    throw new InboundRejectedError('ameriabank_return_malformed', 400, 'Ameriabank return with a malformed paymentID or orderID.');
  }
  const responseCode = params.get('resposnecode') ?? params.get('responsecode') ?? '';
  return {
    kind: 'return',
    // paymentID comes back lowercase though InitPayment gave it uppercase.
    dedupeKey: `ameriabank:return:${paymentId.toLowerCase()}:${responseCode}`,
    ref: { providerOrderNo: orderId, providerPaymentId: paymentId },
  };
}
