import type { Request, RequestHandler } from 'express';
import { ctx } from './context.ts';
import { ipRefusedReply, type IpWhitelist } from './ip-whitelist.ts';
import type { RateLimiter } from './rate-limit.ts';
import { htmlPage, unauthorized } from './reply.ts';
import type { Responder } from './send.ts';
import type { TokenStore } from './oauth.ts';

const OAUTH_PATH = '/oauth2/access_token';

function bearerOf(req: Request): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return m?.[1];
}

/**
 * Learns which account a request belongs to without rejecting anything yet, so faults can target
 * an account and the log can name it even when the token turns out expired.
 */
export function identify(tokens: TokenStore): RequestHandler {
  return (req, res, next) => {
    const c = ctx(res);
    if (req.path === OAUTH_PATH) {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const grant = typeof body.code === 'string' ? body.code : body.refresh_token;
      if (typeof grant === 'string') c.accountId = tokens.ownerOfGrant(grant);
      return next();
    }
    const bearer = bearerOf(req);
    if (bearer) {
      const auth = tokens.authenticate(bearer);
      c.accountId = auth.accountId;
      if (auth.ok) c.userId = auth.userId;
    }
    next();
  };
}

/** A blocked account gets nginx's 403 page on everything, the token endpoint included. */
export function rejectBlocked(limiter: RateLimiter, responder: Responder): RequestHandler {
  return (req, res, next) => {
    const { accountId } = ctx(res);
    if (accountId !== undefined && limiter.isBlocked(accountId)) return responder.send(res, htmlPage(403));
    next();
  };
}

/** Every /api/v4 call: a valid access token, an allowed IP, then the rate budget (the account's, or the IP's). */
export function requireApiAccess(limiter: RateLimiter, responder: Responder, whitelist: IpWhitelist): RequestHandler {
  return (req, res, next) => {
    const c = ctx(res);
    if (c.userId === undefined || c.accountId === undefined) return responder.send(res, unauthorized());
    if (whitelist.isRefused(c.accountId)) return responder.send(res, ipRefusedReply());
    const admission = limiter.admit(c.accountId);
    if (admission === 'blocked') return responder.send(res, htmlPage(403));
    if (admission === 'limited') return responder.send(res, htmlPage(429));
    next();
  };
}
