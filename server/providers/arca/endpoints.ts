import type { ProviderContext } from '../provider.ts';

/** ArCa iPay. EPG (epg.arca.am), Inecobank (pg.inecoecom.am) and the bank-specific test ports come in via baseUrl. */
export const ARCA_BASE_URLS = {
  test: 'https://ipaytest.arca.am:8445/payment/rest',
  live: 'https://ipay.arca.am/payment/rest',
} as const;

export function arcaMethodUrl(ctx: Pick<ProviderContext, 'mode' | 'baseUrl'>, method: string): string {
  const base = (ctx.baseUrl ?? ARCA_BASE_URLS[ctx.mode]).replace(/\/+$/, '');
  return `${base}/${method}.do`;
}
