import { defineProvider } from '../define-provider.ts';
import { cancelSandboxPayment } from './cancel.ts';
import { SANDBOX_SESSION_TTL_SEC } from './constants.ts';
import { createSandboxSession } from './create-session.ts';
import { SANDBOX_SECRET_FIELDS, sandboxCredentialsSchema, type SandboxCredentials } from './credentials.ts';
import { sandboxOrderNo } from './order-number.ts';
import { parseSandboxInbound } from './parse-inbound.ts';
import { probeSandbox } from './probe.ts';
import { querySandboxStatus } from './query-status.ts';
import { refundSandboxPayment } from './refund.ts';
import { sandboxReply } from './reply.ts';
import { verifySandboxInbound } from './verify-inbound.ts';

/**
 * The sandbox provider: a real provider whose gateway (the fake bank) runs beside this server.
 * Everything goes over HTTP through ctx.http, exactly like the bank adapters; notifications are
 * signed the Standard Webhooks way.
 */
export const sandboxProvider = defineProvider<SandboxCredentials>({
  name: 'sandbox',
  caps: {
    statusQuery: true,
    refund: 'partial',
    cancel: true,
    sessionTtlSec: SANDBOX_SESSION_TTL_SEC,
    currencies: ['AMD', 'USD', 'EUR', 'RUB'],
  },
  credentialsSchema: sandboxCredentialsSchema,
  secretFields: SANDBOX_SECRET_FIELDS,
  orderNo: (input) => sandboxOrderNo(input),
  createSession: (ctx, input) => createSandboxSession(ctx, input),
  verifyInbound: (ctx, req) => verifySandboxInbound(ctx, req),
  parseInbound: (_ctx, req, verification) => parseSandboxInbound(req, verification),
  replyFor: (outcome) => sandboxReply(outcome),
  queryStatus: (ctx, attempt) => querySandboxStatus(ctx, attempt),
  refund: (ctx, attempt, amountMinor, opts) => refundSandboxPayment(ctx, attempt, amountMinor, opts),
  cancel: (ctx, attempt) => cancelSandboxPayment(ctx, attempt),
  probe: (ctx) => probeSandbox(ctx),
});
