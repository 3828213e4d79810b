import { createHash } from 'node:crypto';
import { ManualClock } from '../../../../server/platform/clock.ts';
import { createAxiosHttpClient } from '../../../../server/platform/http-client.ts';
import type { InboundRequest, ProviderContext } from '../../../../server/providers/provider.ts';
import type { TelcellCredentials } from '../../../../server/providers/telcell/credentials.ts';

export const SHOP_ID = 'shop@example.am';
export const SHOP_KEY = 'k3y-0f-the-shop';

export function telcellCtx(
  overrides: Partial<ProviderContext<TelcellCredentials>> & { credentials?: TelcellCredentials } = {},
): ProviderContext<TelcellCredentials> {
  return {
    accountId: 9,
    mode: 'test',
    credentials: { shopId: SHOP_ID, shopKey: SHOP_KEY },
    http: createAxiosHttpClient(),
    clock: new ManualClock(),
    publicUrl: 'https://pay.example.test',
    ...overrides,
  };
}

export const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');
export const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** A RESULT_URL callback signed with the 'invoice' formula, written out by hand. */
export function invoiceCallback(overrides: Record<string, string> = {}): Record<string, string> {
  const f: Record<string, string> = {
    invoice: '7781234',
    issuer_id: b64('att_01HXYZ'),
    payment_id: '55501',
    currency: '֏',
    sum: '1900',
    time: '1768471200',
    status: 'PAID',
    ...overrides,
  };
  f.checksum = md5(SHOP_KEY + f.invoice + f.issuer_id + f.payment_id + f.currency + f.sum + f.time + f.status);
  return f;
}

/** The same callback in the arm092 shape: invoice_id and buyer, signed with the 'invoice_buyer' formula. */
export function invoiceBuyerCallback(overrides: Record<string, string> = {}): Record<string, string> {
  const f: Record<string, string> = {
    invoice_id: '7781234',
    issuer_id: b64('att_01HXYZ'),
    payment_id: '55501',
    buyer: '37499123456',
    currency: '֏',
    sum: '1900',
    time: '1768471200',
    status: 'PAID',
    ...overrides,
  };
  f.checksum = md5(SHOP_KEY + f.invoice_id + f.issuer_id + f.payment_id + f.buyer + f.currency + f.sum + f.time + f.status);
  return f;
}

export function post(fields: Record<string, string>): InboundRequest {
  return {
    method: 'POST',
    query: {},
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    rawBody: Buffer.from(new URLSearchParams(fields).toString(), 'utf8'),
    receivedAt: Date.UTC(2026, 0, 15, 10, 0, 0),
  };
}

export function get(query: Record<string, string>): InboundRequest {
  return { method: 'GET', query, headers: {}, rawBody: Buffer.alloc(0), receivedAt: 11 };
}
