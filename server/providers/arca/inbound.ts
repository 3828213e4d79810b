import { InboundRejectedError } from '../errors.ts';
import type { InboundRequest, ParsedInbound, ProviderContext } from '../provider.ts';
import { factFromArcaCallback } from './callback-fact.ts';
import { verifyArcaChecksum } from './checksum.ts';
import type { ArcaCredentials } from './credentials.ts';
import { paramIgnoringCase, readArcaParams } from './inbound-params.ts';

const ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * Two things arrive: the gateway's callback (has `operation`) and the customer's browser coming
 * back to returnUrl/failUrl with `?orderId=<mdOrder>` (does not). Only a callback verified with the
 * configured checksumKey is authenticated; everything else just names the order to query.
 */
export function parseArcaInbound(ctx: ProviderContext<ArcaCredentials>, req: InboundRequest): ParsedInbound {
  const params = readArcaParams(req);
  if (params.operation === undefined) return parseReturn(params);

  const key = ctx.credentials.checksumKey;
  let authenticated = false;
  if (key) {
    // With a key configured an unsigned callback is a forgery, not a degraded one.
    const received = paramIgnoringCase(params, 'checksum');
    if (!received || !verifyArcaChecksum(params, received, key)) {
      throw new InboundRejectedError(
        'arca_bad_checksum',
        401,
        received
          ? 'callback checksum does not match: wrong checksumKey, or a proxy added parameters to the callback URL'
          : 'callback without checksum while a checksumKey is configured',
      );
    }
    authenticated = true;
  }

  const mdOrder = params.mdOrder?.trim();
  const operation = params.operation.trim();
  const status = params.status?.trim();
  if (!mdOrder || !ID.test(mdOrder) || !operation || (status !== '0' && status !== '1')) {
    throw new InboundRejectedError('arca_callback_incomplete', 400, 'callback needs mdOrder, operation and status (0 or 1)');
  }
  const orderNumber = params.orderNumber?.trim() || undefined;
  // Repeated partial refunds share mdOrder/operation/status: the refund's own id or amount tells them apart.
  const refundPart = operation.toLowerCase() === 'refunded' ? `:${params.externalRefundId ?? params.operationRefundedAmount ?? ''}` : '';
  return {
    kind: 'notification',
    authenticated,
    dedupeKey: `arca:${mdOrder.toLowerCase()}:${operation}:${status}${refundPart}`,
    ref: { providerOrderNo: orderNumber, providerPaymentId: mdOrder },
    // An unsigned claim is never handed on: the server queries the status instead.
    fact: authenticated ? factFromArcaCallback(params) : undefined,
  };
}

function parseReturn(params: Record<string, string>): ParsedInbound {
  const orderId = params.orderId?.trim();
  if (!orderId) {
    throw new InboundRejectedError('arca_inbound_unrecognized', 400, 'neither a gateway callback (operation) nor a return (orderId)');
  }
  if (!ID.test(orderId)) throw new InboundRejectedError('arca_return_malformed', 400, 'return with a malformed orderId');
  return {
    kind: 'return',
    authenticated: false,
    dedupeKey: `arca:return:${orderId.toLowerCase()}`,
    ref: { providerPaymentId: orderId },
  };
}
