/**
 * Where an account's amoCRM lives. amoCRM sends the account host as `referer` on install
 * (`{subdomain}.amocrm.ru`, `.amocrm.com` or `.kommo.com`); OAuth and API calls go to
 * `https://{subdomain}.{domain}` unless AMOCRM_BASE_URL replaces it (development and tests).
 */
export const AMOCRM_DOMAINS = ['amocrm.ru', 'amocrm.com', 'kommo.com'] as const;
export type AmocrmDomain = (typeof AMOCRM_DOMAINS)[number];

const HOST = /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.(amocrm\.ru|amocrm\.com|kommo\.com)$/;

export interface AccountHost {
  subdomain: string;
  baseDomain: AmocrmDomain;
}

/**
 * The account host from an install's `referer`, or undefined when it is not an amoCRM/Kommo
 * account host. A scheme or a trailing slash is tolerated; a path, port, credentials or any other
 * domain is not: the code exchange must never be sent to a host an attacker chose.
 */
export function parseReferer(referer: unknown): AccountHost | undefined {
  if (typeof referer !== 'string') return undefined;
  const host = referer
    .trim()
    .toLowerCase()
    .replace(/^https:\/\//, '')
    .replace(/\/$/, '');
  const m = HOST.exec(host);
  if (!m) return undefined;
  return { subdomain: m[1], baseDomain: m[2] as AmocrmDomain };
}

/** `https://{subdomain}.{domain}`, or AMOCRM_BASE_URL when it is set. No trailing slash. */
export function accountBaseUrl(amocrm: { baseUrl?: string }, host: { subdomain: string; baseDomain: string }): string {
  if (amocrm.baseUrl) return amocrm.baseUrl.replace(/\/+$/, '');
  return `https://${host.subdomain}.${host.baseDomain}`;
}
