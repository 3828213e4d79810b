import { createHash } from 'node:crypto';
import { createAxiosHttpClient, type HttpClient } from '../../../server/platform/http-client.ts';
import { ameriabankProvider } from '../../../server/providers/ameriabank/index.ts';
import { arcaChecksum } from '../../../server/providers/arca/checksum.ts';
import { arcaProvider } from '../../../server/providers/arca/index.ts';
import { idramProvider } from '../../../server/providers/idram/index.ts';
import type { AttemptRef, InboundRequest, PaymentProvider, ProviderContext, ProviderRole } from '../../../server/providers/provider.ts';
import { sandboxProvider } from '../../../server/providers/sandbox/index.ts';
import { telcellProvider } from '../../../server/providers/telcell/index.ts';
import * as ameriabank from './ameriabank/fixtures.ts';
import * as arca from './arca/fixtures.ts';
import * as idram from './idram/fixtures.ts';
import * as sandbox from './sandbox/fixtures.ts';
import * as telcell from './telcell/fixtures.ts';

/** The calls a provider may make over HTTP: each has a role in the PaymentProvider interface. */
export type CallRole = 'createSession' | ProviderRole;

/** One HTTP call of a provider as nock sees it, and the answer that means success. */
export interface CallSpec {
  method: 'get' | 'post';
  path: string;
  reply: { status: number; body: string | Record<string, unknown> };
}

/** An HttpClient over the real axios transport (nock intercepts below it) that counts requests and times out fast. */
export interface CountingHttp extends HttpClient {
  calls: number;
}

export const CONFORMANCE_TIMEOUT_MS = 150;

export function countingHttp(): CountingHttp {
  const base = createAxiosHttpClient({ defaultTimeoutMs: CONFORMANCE_TIMEOUT_MS });
  const http: CountingHttp = {
    calls: 0,
    request: (req) => {
      http.calls += 1;
      return base.request({ ...req, timeoutMs: CONFORMANCE_TIMEOUT_MS });
    },
  };
  return http;
}

/** Everything the conformance table needs to drive one provider. */
export interface ConformanceKit {
  provider: PaymentProvider<any>;
  /** The provider's origin as nock intercepts it. */
  host: string;
  ctx(http: HttpClient): ProviderContext<any>;
  /** An attempt the genuine notification and the status answer below are about (paid in full). */
  attempt: AttemptRef;
  /** The HTTP calls this provider makes, by role; a role missing here makes no request. */
  calls: Partial<Record<CallRole, CallSpec>>;
  /** A notification signed with `secret`; undefined when the provider signs nothing (then `unsigned` is its return). */
  signed?: { secret: string; sign(secret: string): InboundRequest };
  unsigned?: InboundRequest;
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
const ANOTHER = 'another-secret-of-someone-else';

function ameriabankKit(): ConformanceKit {
  const attempt = ameriabank.makeAttempt();
  return {
    provider: ameriabankProvider,
    host: ameriabank.TEST_HOST,
    ctx: (http) => ameriabank.makeCtx({ http }),
    attempt,
    calls: {
      createSession: {
        method: 'post',
        path: ameriabank.OP('InitPayment'),
        reply: { status: 200, body: { ResponseCode: 1, ResponseMessage: 'OK', PaymentID: ameriabank.PAYMENT_ID } },
      },
      queryStatus: { method: 'post', path: ameriabank.OP('GetPaymentDetails'), reply: { status: 200, body: ameriabank.paidDetails() } },
      refund: { method: 'post', path: ameriabank.OP('RefundPayment'), reply: { status: 200, body: { ResponseCode: '00' } } },
      cancel: { method: 'post', path: ameriabank.OP('CancelPayment'), reply: { status: 200, body: { ResponseCode: '00' } } },
    },
    // The BackURL return claims success but is unsigned: it must never count as proof.
    unsigned: ameriabank.inbound('GET', { orderID: attempt.providerOrderNo, resposneCode: '00', paymentID: ameriabank.PAYMENT_ID }),
  };
}

function arcaKit(): ConformanceKit {
  const KEY = 'arca-callback-key';
  const attempt = arca.makeAttempt();
  const callback = {
    mdOrder: arca.MD_ORDER,
    orderNumber: arca.ORDER_NO,
    operation: 'deposited',
    status: '1',
    amount: '150000',
    currency: '051',
  };
  const ok = { errorCode: '0', errorMessage: 'Success' };
  return {
    provider: arcaProvider,
    host: arca.TEST_HOST,
    ctx: (http) => arca.makeCtx({ http, credentials: { ...arca.credentials, checksumKey: KEY } }),
    attempt,
    calls: {
      createSession: {
        method: 'post',
        path: arca.METHOD('register'),
        reply: {
          status: 200,
          body: { orderId: arca.MD_ORDER, formUrl: 'https://ipaytest.arca.am:8445/payment/merchants/pay.html?mdOrder=x' },
        },
      },
      queryStatus: { method: 'post', path: arca.METHOD('getOrderStatusExtended'), reply: { status: 200, body: arca.paidStatus() } },
      refund: { method: 'post', path: arca.METHOD('refund'), reply: { status: 200, body: ok } },
      cancel: { method: 'post', path: arca.METHOD('reverse'), reply: { status: 200, body: ok } },
    },
    signed: { secret: KEY, sign: (secret) => arca.inbound('GET', { ...callback, checksum: arcaChecksum(callback, secret) }) },
  };
}

function idramKit(): ConformanceKit {
  const fields = idram.confirmation();
  return {
    provider: idramProvider,
    host: 'https://banking.idram.am',
    ctx: (http) => idram.idramCtx({ http }),
    attempt: { attemptId: 'att_1', providerOrderNo: fields.EDP_BILL_NO, amountMinor: 190000, currency: 'AMD' },
    calls: {},
    signed: {
      secret: idram.SECRET_KEY,
      sign: (secret) => idram.formPost({ ...fields, EDP_CHECKSUM: idram.handChecksum(fields, secret) }),
    },
  };
}

function telcellKit(): ConformanceKit {
  const fields = telcell.invoiceCallback();
  const { checksum: _genuine, ...unsignedFields } = fields;
  const sign = (secret: string) => {
    const f = unsignedFields;
    return telcell.post({
      ...unsignedFields,
      checksum: md5(secret + f.invoice + f.issuer_id + f.payment_id + f.currency + f.sum + f.time + f.status),
    });
  };
  return {
    provider: telcellProvider,
    host: 'https://telcellmoney.am',
    ctx: (http) => telcell.telcellCtx({ http }),
    attempt: { attemptId: 'att_01HXYZ', providerOrderNo: 'att_01HXYZ', providerPaymentId: '7781234', amountMinor: 190000, currency: 'AMD' },
    calls: {
      queryStatus: {
        method: 'post',
        path: '/invoices',
        reply: { status: 200, body: `status=PAID\nsum=1900\ninvoice=7781234\nissuer_id=${telcell.b64('att_01HXYZ')}\n` },
      },
    },
    signed: { secret: telcell.SHOP_KEY, sign },
  };
}

function sandboxKit(): ConformanceKit {
  const session = { sessionId: 'ses_abc', orderNo: 'sbx-4', amountMinor: 250000, currency: 'AMD' };
  return {
    provider: sandboxProvider,
    host: 'https://pay.example.test',
    ctx: (http) => sandbox.sandboxCtx({ http }),
    attempt: { attemptId: 'att_1', providerOrderNo: 'sbx-4', providerPaymentId: 'ses_abc', amountMinor: 250000, currency: 'AMD' },
    calls: {
      createSession: {
        method: 'post',
        path: '/sandbox/api/sessions',
        reply: {
          status: 201,
          body: {
            sessionId: 'ses_abc',
            checkoutUrl: 'https://pay.example.test/sandbox/checkout/ses_abc',
            expiresAt: sandbox.NOW + 1_200_000,
          },
        },
      },
      queryStatus: {
        method: 'get',
        path: '/sandbox/api/sessions/ses_abc',
        reply: { status: 200, body: { ...session, status: 'paid', refundedMinor: 0 } },
      },
      refund: {
        method: 'post',
        path: '/sandbox/api/sessions/ses_abc/refunds',
        reply: { status: 201, body: { refundId: 'rf_1', state: 'succeeded', amountMinor: 1000, refundedMinor: 1000 } },
      },
      cancel: {
        method: 'post',
        path: '/sandbox/api/sessions/ses_abc/cancel',
        reply: { status: 200, body: { sessionId: 'ses_abc', status: 'cancelled' } },
      },
    },
    signed: { secret: sandbox.SECRET, sign: (secret) => sandbox.signedPost(sandbox.succeededBody(), { secret }) },
  };
}

/** One kit per provider the registry knows: the conformance table runs every row against each. */
export const CONFORMANCE_KITS: ConformanceKit[] = [ameriabankKit(), arcaKit(), idramKit(), telcellKit(), sandboxKit()];

/** A secret that is not the provider's: what a forger would sign with. */
export const FORGER_SECRET = ANOTHER;
