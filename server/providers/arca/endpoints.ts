import type { ProviderContext } from '../provider.ts';

/** ArCa iPay. EPG (epg.arca.am), Inecobank (pg.inecoecom.am) and the bank-specific test ports come in via baseUrl. */
/**
 * The hosts a tenant's `baseUrl` may name without the operator listing it in PROVIDER_ALLOWED_HOSTS
 * (https only, any port: the test port varies by acquiring bank): ArCa iPay and EPG, test and live,
 * and Inecobank's own gateway. Another BPC-gateway bank's host is added by the operator.
 */
export const ARCA_OFFICIAL_HOSTS: readonly string[] = [
  'ipay.arca.am',
  'ipaytest.arca.am',
  'epg.arca.am',
  'testepg.arca.am',
  'pg.inecoecom.am',
];

export const ARCA_BASE_URLS = {
  test: 'https://ipaytest.arca.am:8445/payment/rest',
  live: 'https://ipay.arca.am/payment/rest',
} as const;

export function arcaMethodUrl(ctx: Pick<ProviderContext, 'mode' | 'baseUrl'>, method: string): string {
  const base = (ctx.baseUrl ?? ARCA_BASE_URLS[ctx.mode]).replace(/\/+$/, '');
  return `${base}/${method}.do`;
}
