import type { PaymentProvider } from '../provider.ts';
import { IDRAM_SESSION_TTL_SEC } from './constants.ts';
import { createIdramSession } from './create-session.ts';
import { IDRAM_SECRET_FIELDS, idramCredentialsSchema, type IdramCredentials } from './credentials.ts';
import { parseIdramInbound } from './parse-inbound.ts';
import { idramReply } from './reply.ts';
import { idramNotSupported } from './unsupported.ts';

/**
 * Idram wallet: a browser form to GetPayment, an unsigned precheck and an MD5-signed confirmation
 * to RESULT_URL. No status, refund or cancel API.
 */
export const idramProvider: PaymentProvider<IdramCredentials> = {
  name: 'idram',
  caps: {
    serverCreate: false,
    statusQuery: false,
    signedNotification: 'md5',
    refund: 'none',
    cancel: false,
    sessionTtlSec: IDRAM_SESSION_TTL_SEC,
    currencies: ['AMD'],
  },
  credentialsSchema: idramCredentialsSchema,
  secretFields: IDRAM_SECRET_FIELDS,

  /**
   * EDP_BILL_NO is the ledger's per-account counter in plain digits ("17"): Idram shows it to the
   * merchant in its cabinet, numeric bill numbers are what Idram integrations use, and the counter
   * never repeats within an account (RESULT_URL, and so the webhook's accountId, is fixed per IdramID).
   */
  orderNo: ({ counter }) => {
    if (!Number.isSafeInteger(counter) || counter <= 0) throw new RangeError(`order counter ${counter} must be a positive integer`);
    return String(counter);
  },

  createSession: createIdramSession,
  parseInbound: parseIdramInbound,
  replyFor: (outcome) => idramReply(outcome),

  async queryStatus() {
    throw idramNotSupported('status query');
  },
  async refund() {
    throw idramNotSupported('refund');
  },
  async cancel() {
    throw idramNotSupported('cancel');
  },
};
