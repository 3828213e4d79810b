import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { LANGUAGE_COOKIE, pickLanguage, queryLanguage, STRINGS } from './strings.ts';
import type { PageFrame } from './templates.ts';

/** A year: the customer's language choice outlives one payment. */
const COOKIE_MAX_AGE_S = 365 * 24 * 3600;

/**
 * The language of the page and its security headers: nothing loads from elsewhere, the one inline
 * script needs this response's nonce, the page is never cached or framed, and no Referer carries the
 * link token to a provider. A language named in `?lang=` (the switcher, the pay form) is remembered
 * in a cookie, so the return page from a provider speaks it too (`returning`: the remembered
 * language wins over the one in the provider's return URL).
 */
export function frameFor(req: Request, res: Response, extra: Partial<PageFrame> & { returning?: boolean } = {}): PageFrame {
  const { returning, ...rest } = extra;
  const lang = pickLanguage(req.query.lang, req.get('accept-language'), { cookie: req.get('cookie'), preferRemembered: returning });
  const asked = queryLanguage(req.query.lang);
  if (asked && !returning) {
    res.append(
      'Set-Cookie',
      `${LANGUAGE_COOKIE}=${asked}; Path=/pay; Max-Age=${COOKIE_MAX_AGE_S}; SameSite=Lax; HttpOnly${req.secure ? '; Secure' : ''}`,
    );
  }
  const nonce = randomBytes(16).toString('base64');
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; script-src 'nonce-${nonce}'; form-action *; base-uri 'none'; frame-ancestors 'none'`,
  );
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  return { lang, t: STRINGS[lang], title: STRINGS[lang].title, nonce, here: pageAddress(req), ...rest };
}

/** This page's address without `lang`, for the switcher; after a POST, the page to GET is the payment's own. */
function pageAddress(req: Request): string {
  const url = new URL(req.originalUrl, 'http://pay.invalid');
  url.searchParams.delete('lang');
  if (req.method !== 'GET') return url.pathname;
  return url.pathname + (url.search ? url.search : '');
}

/** A rendered page and the HTTP status it goes out with. */
export interface Page {
  status: number;
  html: string;
}

export function sendPage(res: Response, page: Page): void {
  res.status(page.status).type('html').send(page.html);
}
