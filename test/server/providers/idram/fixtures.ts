import { createHash } from 'node:crypto';
import { createAxiosHttpClient } from '../../../../server/platform/http-client.ts';
import { ManualClock } from '../../../../server/platform/clock.ts';
import type { InboundRequest, ProviderContext } from '../../../../server/providers/provider.ts';
import type { IdramCredentials } from '../../../../server/providers/idram/credentials.ts';

export const REC_ACCOUNT = '110000601';
export const SECRET_KEY = 'Tu6pN4jE9r';

export function idramCtx(overrides: Partial<ProviderContext<IdramCredentials>> = {}): ProviderContext<IdramCredentials> {
  return {
    accountId: 7,
    mode: 'test',
    credentials: { recAccount: REC_ACCOUNT, secretKey: SECRET_KEY },
    http: createAxiosHttpClient(),
    clock: new ManualClock(),
    publicUrl: 'https://pay.example.test',
    ...overrides,
  };
}

export function formPost(fields: Record<string, string>, receivedAt = Date.UTC(2026, 0, 15, 10, 0, 0)): InboundRequest {
  return {
    method: 'POST',
    query: {},
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    rawBody: Buffer.from(new URLSearchParams(fields).toString(), 'utf8'),
    receivedAt,
  };
}

/** The documented formula written out here, independent of the code under test. */
export function handChecksum(f: Record<string, string>, secret = SECRET_KEY): string {
  const text = `${f.EDP_REC_ACCOUNT}:${f.EDP_AMOUNT}:${secret}:${f.EDP_BILL_NO}:${f.EDP_PAYER_ACCOUNT}:${f.EDP_TRANS_ID}:${f.EDP_TRANS_DATE}`;
  return createHash('md5').update(text, 'utf8').digest('hex');
}

export function confirmation(overrides: Record<string, string> = {}): Record<string, string> {
  const fields: Record<string, string> = {
    EDP_BILL_NO: '42',
    EDP_REC_ACCOUNT: REC_ACCOUNT,
    EDP_PAYER_ACCOUNT: '110000999',
    EDP_AMOUNT: '1900.00',
    EDP_TRANS_ID: '00000123456789',
    EDP_TRANS_DATE: '15/01/2026',
    ...overrides,
  };
  return { ...fields, EDP_CHECKSUM: handChecksum(fields).toUpperCase() };
}
