import { defineProvider } from '../define-provider.ts';
import { createIdramSession, IDRAM_SESSION_TTL_SEC } from './create-session.ts';
import { IDRAM_SECRET_FIELDS, idramCredentialsSchema, type IdramCredentials } from './credentials.ts';
import { idramOrderNo } from './order-number.ts';
import { parseIdramInbound } from './parse-inbound.ts';
import { idramReply } from './reply.ts';
import { verifyIdramInbound } from './verify-inbound.ts';

/**
 * Idram wallet: a browser form to GetPayment, an unsigned precheck and an MD5-signed confirmation
 * to RESULT_URL. No status, refund or cancel API: only the signed confirmation settles a payment.
 */
export const idramProvider = defineProvider<IdramCredentials>({
  name: 'idram',
  caps: {
    statusQuery: false,
    refund: 'none',
    cancel: false,
    sessionTtlSec: IDRAM_SESSION_TTL_SEC,
    currencies: ['AMD'],
  },
  instead: {
    queryStatus: 'an Idram payment is settled only by its signed confirmation to RESULT_URL',
    refund: 'refund through the Idram merchant cabinet or Idram support, then record it here',
    cancel: 'an Idram payment cannot be voided by API; refund it through the Idram merchant cabinet',
  },
  credentialsSchema: idramCredentialsSchema,
  secretFields: IDRAM_SECRET_FIELDS,
  orderNo: (input) => idramOrderNo(input),
  createSession: (ctx, input) => createIdramSession(ctx, input),
  verifyInbound: (ctx, req) => verifyIdramInbound(ctx, req),
  parseInbound: (_ctx, req, verification) => parseIdramInbound(req, verification),
  replyFor: (outcome) => idramReply(outcome),
});
