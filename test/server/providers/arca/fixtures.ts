import { ManualClock } from '../../../../server/platform/clock.ts';
import { createAxiosHttpClient, type HttpClient } from '../../../../server/platform/http-client.ts';
import type { ArcaCredentials } from '../../../../server/providers/arca/credentials.ts';
import type { AttemptRef, InboundRequest, ProviderContext } from '../../../../server/providers/provider.ts';

export const TEST_HOST = 'https://ipaytest.arca.am:8445';
export const LIVE_HOST = 'https://ipay.arca.am';
export const METHOD = (method: string) => `/payment/rest/${method}.do`;

export const credentials: ArcaCredentials = { userName: 'shop_api', password: 's3cret-pass' };
export const MD_ORDER = '61c3e5a0-8f2b-7a1c-9d4e-0b5f3a2e1c70';
export const ORDER_NO = 'drlatt01HZY3';

export function makeCtx(
  overrides: Partial<ProviderContext<ArcaCredentials>> & { http?: HttpClient } = {},
): ProviderContext<ArcaCredentials> {
  return {
    accountId: 7,
    mode: 'test',
    credentials,
    http: createAxiosHttpClient({ defaultTimeoutMs: 2000 }),
    clock: new ManualClock(),
    publicUrl: 'https://pay.example.am',
    ...overrides,
  };
}

export function makeAttempt(overrides: Partial<AttemptRef> = {}): AttemptRef {
  return {
    attemptId: 'att01HZY3',
    providerOrderNo: ORDER_NO,
    providerPaymentId: MD_ORDER,
    amountMinor: 150_000,
    currency: 'AMD',
    ...overrides,
  };
}

/** getOrderStatusExtended.do for a paid one-stage order (version with paymentAmountInfo). */
export function paidStatus(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    errorCode: '0',
    errorMessage: 'Success',
    orderNumber: ORDER_NO,
    orderStatus: 2,
    actionCode: 0,
    actionCodeDescription: '',
    amount: 150000,
    currency: '051',
    date: 1768471200000,
    depositedDate: 1768471380000,
    ip: '203.0.113.9',
    cardAuthInfo: {
      maskedPan: '411111**1111',
      expiration: '202812',
      cardholderName: 'TEST CARD',
      approvalCode: '123456',
      paymentSystem: 'VISA',
    },
    paymentAmountInfo: { approvedAmount: 150000, depositedAmount: 150000, refundedAmount: 0, paymentState: 'DEPOSITED' },
    ...overrides,
  };
}

export function inbound(method: string, query: Record<string, string>, body = ''): InboundRequest {
  return { method, query, headers: {}, rawBody: Buffer.from(body, 'utf8'), receivedAt: Date.UTC(2026, 0, 15, 10, 5) };
}

/** nock hands form bodies to the matcher parsed; keep them as plain string maps. */
export function formOf(body: unknown): Record<string, string> {
  if (typeof body === 'string') return Object.fromEntries(new URLSearchParams(body));
  return body as Record<string, string>;
}
