import { InboundRejectedError } from '../errors.ts';
import type { InboundReading, InboundRequest, InboundVerification } from '../provider.ts';
import { factFromArcaCallback } from './callback-fact.ts';
import { readArcaParams } from './inbound-params.ts';

const ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * Two things arrive: the gateway's callback (has `operation`) and the customer's browser coming
 * back to returnUrl/failUrl with `?orderId=<mdOrder>` (does not). Only a callback verified with the
 * configured checksumKey carries a fact; everything else just names the order to query.
 */
export function parseArcaInbound(
  req: InboundRequest,
  verification: InboundVerification,
  settings: { twoStage?: boolean; captureMode?: 'auto' | 'manual' } = {},
): InboundReading {
  const params = readArcaParams(req);
  if (params.operation === undefined) return parseReturn(params);

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
    dedupeKey: `arca:${mdOrder.toLowerCase()}:${operation}:${status}${refundPart}`,
    ref: { providerOrderNo: orderNumber, providerPaymentId: mdOrder },
    // An unsigned claim is never handed on: the server queries the status instead.
    fact: verification.authenticated ? factFromArcaCallback(params, settings) : undefined,
  };
}

function parseReturn(params: Record<string, string>): InboundReading {
  const orderId = params.orderId?.trim();
  if (!orderId) {
    throw new InboundRejectedError('arca_inbound_unrecognized', 400, 'neither a gateway callback (operation) nor a return (orderId)');
  }
  if (!ID.test(orderId)) throw new InboundRejectedError('arca_return_malformed', 400, 'return with a malformed orderId');
  return {
    kind: 'return',
    dedupeKey: `arca:return:${orderId.toLowerCase()}`,
    ref: { providerPaymentId: orderId },
  };
}
