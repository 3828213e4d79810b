import { defineProvider } from '../define-provider.ts';
import { cancelArcaOrder } from './cancel.ts';
import { captureArcaOrder } from './capture.ts';
import { probeArca } from './probe.ts';
import { createArcaSession } from './create-session.ts';
import { ARCA_SECRET_FIELDS, arcaCredentialsSchema, type ArcaCredentials } from './credentials.ts';
import { arcaOrderNo } from './order-number.ts';
import { parseArcaInbound } from './parse-inbound.ts';
import { queryArcaStatus } from './query-status.ts';
import { refundArcaOrder } from './refund.ts';
import { arcaReply } from './reply.ts';
import { verifyArcaInbound } from './verify-inbound.ts';

/**
 * ArCa iPay/EPG and the other BPC-gateway banks (chosen by baseUrl): register.do, the gateway's
 * payment form, callbacks signed with HMAC-SHA256 when the bank enabled checksums, and
 * getOrderStatusExtended.do to settle. Two-stage (twoStage): registerPreAuth.do holds, deposit.do
 * captures, reverse.do releases.
 */
export const arcaProvider = defineProvider<ArcaCredentials>({
  name: 'arca',
  caps: {
    statusQuery: true,
    refund: 'partial',
    cancel: true,
    // BPC's default session timeout; register.do gets the attempt's ttlSec.
    sessionTtlSec: 1200,
    currencies: ['AMD', 'USD', 'EUR', 'RUB'],
  },
  credentialsSchema: arcaCredentialsSchema,
  secretFields: ARCA_SECRET_FIELDS,
  orderNo: (input) => arcaOrderNo(input),
  createSession: (ctx, input) => createArcaSession(ctx, input),
  verifyInbound: (ctx, req) => verifyArcaInbound(ctx, req),
  parseInbound: (ctx, req, verification) => parseArcaInbound(req, verification, ctx.credentials),
  replyFor: (outcome) => arcaReply(outcome),
  queryStatus: (ctx, attempt) => queryArcaStatus(ctx, attempt),
  refund: (ctx, attempt, amountMinor, opts) => refundArcaOrder(ctx, attempt, amountMinor, opts),
  cancel: (ctx, attempt) => cancelArcaOrder(ctx, attempt),
  capture: (ctx, attempt, amountMinor) => captureArcaOrder(ctx, attempt, amountMinor),
  probe: (ctx) => probeArca(ctx),
});
