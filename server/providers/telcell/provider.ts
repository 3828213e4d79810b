import type { PaymentProvider } from '../provider.ts';
import { TELCELL_SESSION_TTL_SEC } from './constants.ts';
import { createTelcellSession } from './create-session.ts';
import { TELCELL_SECRET_FIELDS, telcellCredentialsSchema, type TelcellCredentials } from './credentials.ts';
import { parseTelcellInbound } from './parse-inbound.ts';
import { queryTelcellStatus } from './query-status.ts';
import { telcellReply } from './reply.ts';
import { telcellNotSupported } from './unsupported.ts';

/**
 * Telcell Wallet: a PostInvoice browser form, an MD5-signed RESULT_URL callback (formula chosen by
 * callbackChecksum), and check_bill once the invoice number is known. AMD in whole drams only.
 */
export const telcellProvider: PaymentProvider<TelcellCredentials> = {
  name: 'telcell',
  caps: {
    serverCreate: false,
    statusQuery: true,
    signedNotification: 'md5',
    refund: 'none',
    cancel: false,
    sessionTtlSec: TELCELL_SESSION_TTL_SEC,
    currencies: ['AMD'],
  },
  credentialsSchema: telcellCredentialsSchema,
  secretFields: TELCELL_SECRET_FIELDS,

  /**
   * issuer_id is the attempt id itself: unique per attempt across accounts and database resets, and
   * base64 on the wire so its characters do not matter.
   */
  orderNo: ({ attemptId }) => {
    if (!attemptId) throw new RangeError('attemptId is required for a Telcell order number');
    return attemptId;
  },

  createSession: createTelcellSession,
  parseInbound: parseTelcellInbound,
  replyFor: (outcome) => telcellReply(outcome),
  queryStatus: queryTelcellStatus,

  async refund() {
    throw telcellNotSupported('refund');
  },
  async cancel() {
    throw telcellNotSupported('cancel');
  },
};
