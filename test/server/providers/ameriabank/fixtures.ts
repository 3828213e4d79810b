import { ManualClock } from '../../../../server/platform/clock.ts';
import { createAxiosHttpClient, type HttpClient } from '../../../../server/platform/http-client.ts';
import type { AmeriabankCredentials } from '../../../../server/providers/ameriabank/credentials.ts';
import type { AttemptRef, InboundRequest, ProviderContext } from '../../../../server/providers/provider.ts';

export const TEST_HOST = 'https://servicestest.ameriabank.am';
export const LIVE_HOST = 'https://services.ameriabank.am';
export const OP = (operation: string) => `/VPOS/api/VPOS/${operation}`;

export const credentials: AmeriabankCredentials = {
  clientId: '7d7c8a4e-3b62-4a3c-9a87-f1f0f5c2b8a1',
  username: '3d19541048',
  password: 'lazY2k',
  testOrderIdFrom: 2923001,
  testOrderIdTo: 2924000,
};

export const PAYMENT_ID = 'A4A3D8D1-6C5B-4F26-9E43-2A0F3E0D7B11';

export function makeCtx(
  overrides: Partial<ProviderContext<AmeriabankCredentials>> & { http?: HttpClient } = {},
): ProviderContext<AmeriabankCredentials> {
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
    attemptId: 'att_01HZY3',
    providerOrderNo: '2923001',
    providerPaymentId: PAYMENT_ID,
    amountMinor: 1000,
    currency: 'AMD',
    ...overrides,
  };
}

/** A GetPaymentDetails answer for a paid one-stage order, shaped as the live Help page documents it. */
export function paidDetails(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Amount: 10.0,
    ApprovedAmount: 10.0,
    ApprovalCode: '123456',
    CardNumber: '408306******1818',
    ClientName: 'TEST CARD VPOS',
    Currency: '051',
    DateTime: '15/01/2026 14:03:27',
    DepositedAmount: 10.0,
    Description: 'Request processed successfully',
    MDOrderID: 'e3b7c1f0-5f0b-4c0e-9a4b-2a7f1b1c9d00',
    MerchantId: '',
    TerminalId: '',
    OrderID: '2923001',
    PrimaryRC: '00',
    ProcessingIP: '',
    RefundedAmount: 0.0,
    ResponseCode: '00',
    TrxnDescription: 'Order 42',
    OrderStatus: '2',
    PaymentState: 'payment_deposited',
    Opaque: 'att_01HZY3',
    ActionCode: '0',
    ExpDate: '2805',
    rrn: 'e3b7c1f0-5f0b-4c0e-9a4b-2a7f1b1c9d00',
    PaymentType: 5,
    BankInfo: '',
    ...overrides,
  };
}

export function inbound(method: string, query: Record<string, string>, body = ''): InboundRequest {
  return { method, query, headers: {}, rawBody: Buffer.from(body, 'utf8'), receivedAt: Date.UTC(2026, 0, 15, 10, 5) };
}
