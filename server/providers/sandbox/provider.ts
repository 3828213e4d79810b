import type { PaymentProvider } from '../provider.ts';
import { cancelSandbox } from './cancel.ts';
import { SANDBOX_SESSION_TTL_SEC } from './constants.ts';
import { createSandboxSession } from './create-session.ts';
import { SANDBOX_SECRET_FIELDS, sandboxCredentialsSchema, type SandboxCredentials } from './credentials.ts';
import { parseSandboxInbound } from './parse-inbound.ts';
import { querySandboxStatus } from './query-status.ts';
import { refundSandbox } from './refund.ts';
import { sandboxReply } from './reply.ts';

/**
 * The sandbox provider: a real provider whose bank, in development and tests, is the dev wing's
 * gateway (scripts/sandbox-gateway) mounted on the same server under /sandbox. Everything goes
 * over HTTP through ctx.http, exactly like the bank adapters.
 */
export const sandboxProvider: PaymentProvider<SandboxCredentials> = {
  name: 'sandbox',
  caps: {
    serverCreate: true,
    statusQuery: true,
    signedNotification: 'standard-webhooks',
    refund: 'partial',
    cancel: true,
    sessionTtlSec: SANDBOX_SESSION_TTL_SEC,
    currencies: ['AMD', 'USD', 'EUR', 'RUB'],
  },
  credentialsSchema: sandboxCredentialsSchema,
  secretFields: SANDBOX_SECRET_FIELDS,

  /** `sbx-{counter}`: readable in the checkout page and logs, unique per account. */
  orderNo: ({ counter }) => {
    if (!Number.isSafeInteger(counter) || counter <= 0) throw new RangeError(`order counter ${counter} must be a positive integer`);
    return `sbx-${counter}`;
  },

  createSession: createSandboxSession,
  parseInbound: parseSandboxInbound,
  replyFor: (outcome) => sandboxReply(outcome),
  queryStatus: querySandboxStatus,
  refund: refundSandbox,
  cancel: cancelSandbox,
};
