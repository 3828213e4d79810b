import type { Language, ProviderContext } from '../provider.ts';

/**
 * The hosts a tenant's `baseUrl` may name without the operator listing it in PROVIDER_ALLOWED_HOSTS
 * (https only, any port): Ameriabank's vPOS test and live hosts.
 */
export const AMERIABANK_OFFICIAL_HOSTS: readonly string[] = ['servicestest.ameriabank.am', 'services.ameriabank.am'];

export const AMERIABANK_BASE_URLS = {
  test: 'https://servicestest.ameriabank.am/VPOS/',
  live: 'https://services.ameriabank.am/VPOS/',
} as const;

/** Always ends with one slash: every Ameriabank path is relative to `…/VPOS/`. */
export function ameriabankBase(ctx: Pick<ProviderContext, 'mode' | 'baseUrl'>): string {
  const base = ctx.baseUrl ?? AMERIABANK_BASE_URLS[ctx.mode];
  return `${base.replace(/\/+$/, '')}/`;
}

/** `{base}api/VPOS/{Operation}`: the doubled VPOS is the real path. */
export function ameriabankOperationUrl(ctx: Pick<ProviderContext, 'mode' | 'baseUrl'>, operation: string): string {
  return `${ameriabankBase(ctx)}api/VPOS/${operation}`;
}

/** Ameriabank calls Armenian `am`, not ISO `hy` (a bug in other SDKs). */
export function ameriabankLanguage(language: Language): 'am' | 'ru' | 'en' {
  return language === 'hy' ? 'am' : language;
}

/** A plain `&` separator: building it as `&amp;` (seen in other SDKs) loses the language. */
export function ameriabankPayPageUrl(ctx: Pick<ProviderContext, 'mode' | 'baseUrl'>, paymentId: string, language: Language): string {
  const query = new URLSearchParams({ id: paymentId, lang: ameriabankLanguage(language) });
  return `${ameriabankBase(ctx)}Payments/Pay?${query.toString()}`;
}
