import type { PaymentProvider } from '../provider.ts';
import { cancelAmeriabankPayment } from './cancel.ts';
import { AMERIABANK_SECRET_FIELDS, ameriabankCredentialsSchema, type AmeriabankCredentials } from './credentials.ts';
import { AMERIABANK_MAX_TIMEOUT_SEC, initAmeriabankPayment } from './init-payment.ts';
import { ameriabankOrderNo } from './order-number.ts';
import { queryAmeriabankStatus } from './payment-details.ts';
import { refundAmeriabankPayment } from './refund.ts';
import { ameriabankReply } from './reply.ts';
import { parseAmeriabankReturn } from './return-params.ts';

export type { AmeriabankCredentials } from './credentials.ts';
export { ameriabankCredentialsSchema } from './credentials.ts';
export { AMERIABANK_BASE_URLS } from './endpoints.ts';

/** Ameriabank vPOS 3.1 (REST/JSON). Reference: providers.md section 1. */
export const ameriabankProvider: PaymentProvider<AmeriabankCredentials> = {
  name: 'ameriabank',
  caps: {
    serverCreate: true,
    statusQuery: true,
    // The BackURL return is unsigned and there is no server notification.
    signedNotification: 'none',
    refund: 'partial',
    cancel: true,
    sessionTtlSec: AMERIABANK_MAX_TIMEOUT_SEC,
    currencies: ['AMD', 'USD', 'EUR', 'RUB'],
  },
  credentialsSchema: ameriabankCredentialsSchema,
  secretFields: AMERIABANK_SECRET_FIELDS,
  orderNo: (input) => ameriabankOrderNo(input),
  createSession: (ctx, input) => initAmeriabankPayment(ctx, input),
  parseInbound: (_ctx, req) => parseAmeriabankReturn(req),
  replyFor: (outcome) => ameriabankReply(outcome),
  queryStatus: (ctx, attempt) => queryAmeriabankStatus(ctx, attempt),
  refund: (ctx, attempt, amountMinor) => refundAmeriabankPayment(ctx, attempt, amountMinor),
  cancel: (ctx, attempt) => cancelAmeriabankPayment(ctx, attempt),
};
