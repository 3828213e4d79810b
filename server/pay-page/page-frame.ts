import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { pickLanguage, STRINGS } from './strings.ts';
import type { PageFrame } from './templates.ts';

/**
 * The language of the page (`?lang=`, else Accept-Language) and its security headers: nothing
 * loads from elsewhere, the one inline script needs this response's nonce, the page is never cached
 * or framed, and no Referer carries the link token to a provider.
 */
export function frameFor(req: Request, res: Response, extra: Partial<PageFrame> = {}): PageFrame {
  const lang = pickLanguage(req.query.lang, req.get('accept-language'));
  const nonce = randomBytes(16).toString('base64');
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; form-action *; base-uri 'none'; frame-ancestors 'none'`,
  );
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  return { lang, t: STRINGS[lang], title: STRINGS[lang].title, nonce, ...extra };
}

/** A rendered page and the HTTP status it goes out with. */
export interface Page {
  status: number;
  html: string;
}

export function sendPage(res: Response, page: Page): void {
  res.status(page.status).type('html').send(page.html);
}
