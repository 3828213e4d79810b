import express, { type Request, type RequestHandler } from 'express';
import type { Logger } from '../../logging/logger.ts';
import type { StrangerLimits } from '../stranger-limits.ts';
import { followUpHold, verifyAndFollowUp } from '../../payments/move-hold.ts';
import type { VerifyDeps } from '../../payments/verify-attempt.ts';
import type { InboundOutcome, InboundRequest } from '../../providers/provider.ts';
import { receiveInbound } from '../../webhooks/receive-inbound.ts';

/** Providers send small form or JSON bodies; anything bigger is not a notification. */
const WEBHOOK_BODY_LIMIT = '32kb';

export function toInboundRequest(req: Request, receivedAt: number): InboundRequest {
  // Plain loops: no entry arrays per notification (Node's header names are lower case already).
  const query: Record<string, string> = {};
  const q = req.query;
  for (const k in q) if (typeof q[k] === 'string') query[k] = q[k];
  const headers: Record<string, string> = {};
  const h = req.headers;
  for (const k in h) if (typeof h[k] === 'string') headers[k.toLowerCase()] = h[k];
  return {
    method: req.method,
    query,
    headers,
    rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
    receivedAt,
  };
}

/** Where providers send notifications (any method reaches the handler, which answers 405 to all but GET and POST). */
export const WEBHOOK_PATH = '/webhooks/:provider/:accountId';

/**
 * The handlers of `GET|POST /webhooks/:provider/:accountId`, mounted by the app on its own router
 * (`app.route(WEBHOOK_PATH).all(...)`): a nested router would cost every notification one more
 * router walk with its closures. The body is kept as raw bytes (signatures are over them); parsing
 * happens in the provider adapter only after verification.
 */
export function webhookHandlers(
  deps: VerifyDeps & { logger: Logger; limits: StrangerLimits; onBackground?: (p: Promise<unknown>) => void },
): [RequestHandler, RequestHandler<{ provider: string; accountId: string }>] {
  // The raw body on the route itself: no mounted middleware whose path the router trims and restores per request.
  const rawBody = express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT });
  const receive: RequestHandler<{ provider: string; accountId: string }> = async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.status(405).json({ error: { code: 'method_not_allowed', message: 'Notifications are GET or POST' } });
      return;
    }
    const accountId = /^\d{1,15}$/.test(req.params.accountId) ? Number(req.params.accountId) : NaN;
    const provider = req.params.provider;
    let result;
    try {
      const inbound = toInboundRequest(req, deps.clock.now());
      // Anything unverified counts against this client's and this account's budget.
      const admit = () => deps.limits.admit(req.ip, Number.isSafeInteger(accountId) ? accountId : undefined);
      // Answered only after the transaction that holds it is durable (the store's ingest: group commit on SQLite).
      result = await receiveInbound(deps, provider, accountId, inbound, admit);
    } catch (err) {
      // Could not store it: say so in the provider's form so it retries (or, for Idram, cancels).
      deps.logger.error('notification not stored', { provider, accountId, requestId: res.locals.requestId, error: err });
      const reply = safeReply(deps, provider, {
        kind: 'rejected',
        status: 500,
        code: 'internal_error',
        reason: 'temporarily unable to record the notification',
      });
      res.status(reply.status).type(reply.contentType).send(reply.body);
      return;
    }
    if (result.rejected === 'rate_limited') res.set('Retry-After', String(deps.limits.retryAfterSec()));
    if (req.method === 'GET' && result.parsed?.kind === 'return' && (provider === 'idram' || provider === 'telcell')) {
      // A person's browser, sent here by a provider set up with the notification URL as its return
      // URL: never a bare "OK" to a person, but our result page (Settings.providerUrls has the right URLs).
      const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
      res.redirect(303, `/pay/return/${provider}/${accountId}${query}`);
    } else {
      res.status(result.reply.status).type(result.reply.contentType).send(result.reply.body);
    }
    if (result.needsStatusQuery && result.attemptId) {
      const attemptId = result.attemptId;
      const p = verifyAndFollowUp(deps, attemptId, 'reconciler:notification').catch((err: unknown) =>
        deps.logger.warn('status query after notification failed', { attemptId, error: err }),
      );
      deps.onBackground?.(p);
    } else if (result.attemptId && result.decision?.events.some((e) => e.type === 'authorized')) {
      // A signed callback reported funds held: capture or release them as the rule says (after answering).
      const p = followUpHold(deps, result.attemptId);
      deps.onBackground?.(p);
    }
  };
  return [rawBody, receive];
}

function safeReply(deps: VerifyDeps, provider: string, outcome: InboundOutcome) {
  try {
    return deps.providers.provider(provider).replyFor(outcome);
  } catch {
    return {
      status: 500,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'internal_error', message: 'internal error' } }),
    };
  }
}
