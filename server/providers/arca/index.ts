import type { PaymentProvider } from '../provider.ts';
import { ARCA_SECRET_FIELDS, arcaCredentialsSchema, type ArcaCredentials } from './credentials.ts';
import { parseArcaInbound } from './inbound.ts';
import { queryArcaStatus } from './order-status.ts';
import { arcaOrderNo } from './order-number.ts';
import { refundArcaOrder } from './refund.ts';
import { registerArcaOrder } from './register.ts';
import { arcaReply } from './reply.ts';
import { reverseArcaOrder } from './reverse.ts';

export type { ArcaCredentials } from './credentials.ts';
export { arcaCredentialsSchema } from './credentials.ts';
export { ARCA_BASE_URLS } from './endpoints.ts';
export { arcaChecksum, arcaChecksumPayload } from './checksum.ts';

/** ArCa iPay/EPG and the other BPC-gateway banks (by baseUrl). Reference: providers.md section 2. */
export const arcaProvider: PaymentProvider<ArcaCredentials> = {
  name: 'arca',
  caps: {
    serverCreate: true,
    statusQuery: true,
    // Callbacks are signed only when the bank enabled checksums and checksumKey is set.
    signedNotification: 'hmac-sha256-optional',
    refund: 'partial',
    cancel: true,
    // BPC's default session timeout; register.do gets the attempt's ttlSec.
    sessionTtlSec: 1200,
    currencies: ['AMD', 'USD', 'EUR', 'RUB'],
  },
  credentialsSchema: arcaCredentialsSchema,
  secretFields: ARCA_SECRET_FIELDS,
  orderNo: (input) => arcaOrderNo(input),
  createSession: (ctx, input) => registerArcaOrder(ctx, input),
  parseInbound: (ctx, req) => parseArcaInbound(ctx, req),
  replyFor: (outcome) => arcaReply(outcome),
  queryStatus: (ctx, attempt) => queryArcaStatus(ctx, attempt),
  refund: (ctx, attempt, amountMinor, opts) => refundArcaOrder(ctx, attempt, amountMinor, opts),
  cancel: (ctx, attempt) => reverseArcaOrder(ctx, attempt),
};
