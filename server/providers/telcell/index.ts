import { defineProvider } from '../define-provider.ts';
import { createTelcellSession, TELCELL_SESSION_TTL_SEC } from './create-session.ts';
import { TELCELL_SECRET_FIELDS, telcellCredentialsSchema, type TelcellCredentials } from './credentials.ts';
import { telcellOrderNo } from './order-number.ts';
import { parseTelcellInbound } from './parse-inbound.ts';
import { queryTelcellStatus } from './query-status.ts';
import { telcellReply } from './reply.ts';
import { verifyTelcellInbound } from './verify-inbound.ts';

/**
 * Telcell Wallet: a PostInvoice browser form, an MD5-signed RESULT_URL callback (formula chosen by
 * callbackChecksum), and check_bill once the invoice number is known. AMD in whole drams only.
 */
export const telcellProvider = defineProvider<TelcellCredentials>({
  name: 'telcell',
  caps: {
    statusQuery: true,
    refund: 'none',
    cancel: false,
    sessionTtlSec: TELCELL_SESSION_TTL_SEC,
    currencies: ['AMD'],
  },
  instead: {
    refund: 'no refund API for wallet invoices is published; refund through Telcell merchant support, then record it here',
    cancel: 'no cancel API for wallet invoices is published; reverse the payment through Telcell merchant support',
  },
  credentialsSchema: telcellCredentialsSchema,
  secretFields: TELCELL_SECRET_FIELDS,
  orderNo: (input) => telcellOrderNo(input),
  createSession: (ctx, input) => createTelcellSession(ctx, input),
  verifyInbound: (ctx, req) => verifyTelcellInbound(ctx, req),
  parseInbound: (ctx, req, verification) => parseTelcellInbound(ctx, req, verification),
  replyFor: (outcome) => telcellReply(outcome),
  queryStatus: (ctx, attempt) => queryTelcellStatus(ctx, attempt),
});
