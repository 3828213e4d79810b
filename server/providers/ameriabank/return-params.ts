import { InboundRejectedError } from '../errors.ts';
import type { InboundRequest, ParsedInbound } from '../provider.ts';

/**
 * The browser's return to BackURL: `orderID, resposneCode (sic), paymentID, opaque, description`.
 * Ameriabank signs nothing and sends no server notification, so this only says which attempt to
 * verify with GetPaymentDetails; a POST is read the same way and is just as unauthenticated.
 */
export function parseAmeriabankReturn(req: InboundRequest): ParsedInbound {
  const params = readParams(req);
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
    authenticated: false,
    // paymentID comes back lowercase though InitPayment gave it uppercase.
    dedupeKey: `ameriabank:return:${paymentId.toLowerCase()}:${responseCode}`,
    ref: { providerOrderNo: orderId, providerPaymentId: paymentId },
  };
}

/** Query and (for POST) form body, keys case-insensitive: the bank's spelling varies (orderID, resposneCode). */
function readParams(req: InboundRequest): Map<string, string> {
  const params = new Map<string, string>();
  const add = (key: string, value: string) => {
    const trimmed = value.trim();
    if (trimmed !== '') params.set(key.toLowerCase(), trimmed);
  };
  if (req.method.toUpperCase() === 'POST' && req.rawBody.length > 0) {
    for (const [k, v] of new URLSearchParams(req.rawBody.toString('utf8'))) add(k, v);
  }
  // Query last: a GET return carries everything there.
  for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string') add(k, v);
  return params;
}
