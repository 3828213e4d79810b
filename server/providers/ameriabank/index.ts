import { defineProvider } from '../define-provider.ts';
import { cancelAmeriabankPayment } from './cancel.ts';
import { captureAmeriabankPayment } from './capture.ts';
import { probeAmeriabank } from './probe.ts';
import { AMERIABANK_MAX_TIMEOUT_SEC, createAmeriabankSession } from './create-session.ts';
import { AMERIABANK_SECRET_FIELDS, ameriabankCredentialsSchema, type AmeriabankCredentials } from './credentials.ts';
import { ameriabankOrderNo } from './order-number.ts';
import { parseAmeriabankInbound } from './parse-inbound.ts';
import { queryAmeriabankStatus } from './query-status.ts';
import { refundAmeriabankPayment } from './refund.ts';
import { ameriabankReply } from './reply.ts';
import { verifyAmeriabankInbound } from './verify-inbound.ts';

/**
 * Ameriabank vPOS 3.1 (REST/JSON): InitPayment, then the bank's payment page; the browser's return
 * is unsigned and there is no server notification, so GetPaymentDetails settles every payment.
 * Two-stage ClientIDs: a hold (OrderStatus 1) is captured with ConfirmPayment, released with CancelPayment.
 */
export const ameriabankProvider = defineProvider<AmeriabankCredentials>({
  name: 'ameriabank',
  caps: {
    statusQuery: true,
    refund: 'partial',
    cancel: true,
    sessionTtlSec: AMERIABANK_MAX_TIMEOUT_SEC,
    currencies: ['AMD', 'USD', 'EUR', 'RUB'],
  },
  credentialsSchema: ameriabankCredentialsSchema,
  secretFields: AMERIABANK_SECRET_FIELDS,
  orderNo: (input) => ameriabankOrderNo(input),
  createSession: (ctx, input) => createAmeriabankSession(ctx, input),
  verifyInbound: () => verifyAmeriabankInbound(),
  parseInbound: (_ctx, req) => parseAmeriabankInbound(req),
  replyFor: (outcome) => ameriabankReply(outcome),
  queryStatus: (ctx, attempt) => queryAmeriabankStatus(ctx, attempt),
  refund: (ctx, attempt, amountMinor) => refundAmeriabankPayment(ctx, attempt, amountMinor),
  cancel: (ctx, attempt) => cancelAmeriabankPayment(ctx, attempt),
  capture: (ctx, attempt, amountMinor) => captureAmeriabankPayment(ctx, attempt, amountMinor),
  probe: (ctx) => probeAmeriabank(ctx),
});
