import type { RequestHandler, Response } from 'express';
import { sendError } from '../http/middleware/errors.ts';

/**
 * CORS for the widget API: the widget runs on the account's amoCRM/Kommo page and calls us with
 * $authorizedAjax, whose `X-Auth-Token` header makes every call preflighted (amoCRM asks the server
 * to allow the account's origin: https://www.amocrm.com/developers/content/oauth/one-time-tokens-for-integrations/). Only https origins on
 * `*.amocrm.ru`, `*.amocrm.com` and `*.kommo.com` are answered; once the token names the account,
 * `forgetForeignOrigin` withdraws the grant from another account's origin.
 */
const ORIGIN = /^https:\/\/([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.(amocrm\.ru|amocrm\.com|kommo\.com)$/;

export const ALLOWED_METHODS = 'GET, POST, PUT, OPTIONS';
export const ALLOWED_HEADERS = 'X-Auth-Token, Content-Type';
export const PREFLIGHT_MAX_AGE_SEC = 600;

/** The subdomain of an allowed origin, or undefined when the origin is not an amoCRM/Kommo account. */
export function amocrmOriginSubdomain(origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  return ORIGIN.exec(origin.toLowerCase())?.[1];
}

export function widgetCors(): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('origin');
    res.vary('Origin');
    const allowed = amocrmOriginSubdomain(origin) !== undefined;
    if (allowed) {
      res.set('Access-Control-Allow-Origin', origin);
      res.set('Access-Control-Expose-Headers', 'X-Request-Id');
    }
    if (req.method !== 'OPTIONS') return next();
    if (!allowed) {
      return sendError(
        res,
        403,
        'cors_origin_denied',
        `Origin ${JSON.stringify(origin ?? null)} may not call this API: only amoCRM and Kommo account pages (https://<subdomain>.amocrm.ru, .amocrm.com, .kommo.com) may.`,
      );
    }
    res.set('Access-Control-Allow-Methods', ALLOWED_METHODS);
    res.set('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.set('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SEC));
    res.status(204).end();
  };
}

/** After authentication: a browser on another account's page gets no CORS grant for this account's data. */
export function forgetForeignOrigin(res: Response, originHeader: string | undefined, accountSubdomain: string): void {
  const sub = amocrmOriginSubdomain(originHeader);
  if (sub !== undefined && sub !== accountSubdomain.toLowerCase()) res.removeHeader('Access-Control-Allow-Origin');
}
