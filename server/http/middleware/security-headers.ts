import { ServerResponse } from 'node:http';
import type { Response } from 'express';

/**
 * The CSP of an HTML page that sets none of its own: nothing loads, runs or frames it; inline
 * styles only; forms post back here. Pages that need more (the pay page's nonce script and its
 * provider forms) set their own, stricter in what they add.
 */
export const DEFAULT_HTML_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * On every response: `X-Content-Type-Options: nosniff` (a JSON error or a provider reply is never
 * run as a script or a page). On every HTML response without a Content-Security-Policy of its own,
 * DEFAULT_HTML_CSP and no Referer, decided when the headers go out (the content type is known then).
 */
export function applySecurityHeaders(res: Response): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.writeHead = htmlAwareWriteHead as Response['writeHead'];
}

/**
 * One function for every response, no closure per request; nothing else replaces a response's
 * writeHead before this layer (the first), so the one it shadows is Node's own.
 */
function htmlAwareWriteHead(this: Response, ...args: unknown[]): Response {
  if (isHtml(this) && !this.getHeader('content-security-policy')) {
    this.setHeader('Content-Security-Policy', DEFAULT_HTML_CSP);
    if (!this.getHeader('referrer-policy')) this.setHeader('Referrer-Policy', 'no-referrer');
  }
  return (ServerResponse.prototype.writeHead as (...a: unknown[]) => Response).apply(this, args);
}

function isHtml(res: Response): boolean {
  return /^\s*text\/html/i.test(String(res.getHeader('content-type') ?? ''));
}
