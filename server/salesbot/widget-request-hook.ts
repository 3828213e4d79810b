import type { RequestHandler } from 'express';
import type { AccountContexts } from '../accounts/account-context.ts';
import type { Store } from '../db/store.ts';
import { isAppError } from '../errors/app-error.ts';
import type { StrangerLimits } from '../http/stranger-limits.ts';
import type { LinkRunner } from '../lead-links/link-runner.ts';
import type { LinkParams } from '../lead-links/link-params.ts';
import { openLinkRequest } from '../lead-links/link-request-store.ts';
import type { Logger } from '../logging/logger.ts';
import { recordObservation } from '../observations/observation-store.ts';
import type { Clock } from '../platform/clock.ts';
import { queueBotContinue } from '../sync/outbox.ts';
import { botErrorAnswer } from './bot-answer.ts';
import { verifyBotToken, type BotToken } from './bot-token.ts';
import { continuePathOf } from './return-url.ts';

export interface WidgetRequestDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  clientSecret: string | undefined;
  accounts: AccountContexts;
  runner: Pick<LinkRunner, 'kick'>;
  limits?: StrangerLimits;
}

/**
 * POST /amocrm/salesbot: dramlink's Salesbot step (`widget_request`, docs/architecture.md, Salesbot).
 * amoCRM wants an answer within 2 seconds, so this only checks the token (the integration secret)
 * and the return_url (the account's own amoCRM, the continue endpoint), opens one link request per
 * return_url (a retried call finds it), answers 200 and wakes the runner, which creates or reuses the
 * lead's link and queues the continue with `{{json.status}}`, `{{json.payment_url}}`… A step for
 * anything but a lead is answered with `status: error`, `error: not_a_lead`.
 */
export function widgetRequestHook(deps: WidgetRequestDeps): RequestHandler {
  return async (req, res) => {
    const now = deps.clock.now();
    const body = (req.body ?? {}) as { token?: unknown; return_url?: unknown };
    const token = verified(deps, body.token, now);
    if ('code' in token)
      return refuse(deps, req.ip, res, { status: 401, code: token.code, message: 'The widget_request token does not verify.' });
    const ctx = await deps.accounts.load(token.accountId);
    if (!ctx) {
      const refusal = { status: 404, code: 'account_not_found', message: 'This amoCRM account has not installed dramlink.' };
      return refuse(deps, req.ip, res, refusal, token.accountId);
    }
    const path = continuePathOf(body.return_url, ctx.baseUrl);
    await noteWhatCame(deps, ctx.accountId, token, now, path === undefined);
    if (!path) {
      const refusal = { status: 400, code: 'invalid_return_url', message: 'return_url is not this account’s Salesbot continue address.' };
      return refuse(deps, req.ip, res, refusal, ctx.accountId);
    }
    await accept(deps, ctx.accountId, token, path, now);
    res.json({ ok: true });
  };
}

/** Opens the link request for the lead (or answers at once that there is no lead), in one statement each. */
async function accept(deps: WidgetRequestDeps, accountId: number, token: BotToken, path: string, now: number): Promise<void> {
  if (token.entity.kind !== 'lead') {
    const continued = { path, data: botErrorAnswer('not_a_lead') };
    await deps.store.run((tx) => queueBotContinue(tx, { accountId, leadId: 0, paymentId: null, continued, now }));
    return;
  }
  const params: LinkParams = { amount: { mode: 'lead_price' }, actor: 'salesbot', returnPath: path };
  const leadId = token.entity.id;
  const { created } = await deps.store.transaction((tx) =>
    openLinkRequest(tx, { accountId, source: 'salesbot', requestKey: path, leadId, params, now }),
  );
  if (created) deps.runner.kick();
  deps.logger.info('salesbot: widget_request received', { accountId, leadId, duplicate: !created });
}

/** What amoCRM sent (the token's algorithm and claim names, the entity kind): doctor reports it. */
async function noteWhatCame(
  deps: WidgetRequestDeps,
  accountId: number,
  token: BotToken,
  now: number,
  refusedReturnUrl: boolean,
): Promise<void> {
  const entityType = token.entity.kind === 'lead' ? 'lead' : token.entity.type;
  const seen = { lastRequestAt: now, tokenAlg: token.alg, tokenClaims: token.claimNames.join(','), entityType };
  await deps.store.transaction((tx) =>
    recordObservation(tx, accountId, 'salesbot', refusedReturnUrl ? { ...seen, lastRefusedReturnUrlAt: now } : seen, now),
  );
}

function verified(deps: WidgetRequestDeps, token: unknown, now: number): BotToken | { code: string } {
  try {
    if (!deps.clientSecret) throw new Error('no integration secret');
    return verifyBotToken(token, deps.clientSecret, Math.floor(now / 1000));
  } catch (err) {
    return { code: isAppError(err) ? err.code : 'bot_token_bad_signature' };
  }
}

function refuse(
  deps: WidgetRequestDeps,
  ip: string | undefined,
  res: Parameters<RequestHandler>[1],
  refusal: { status: number; code: string; message: string },
  accountId?: number,
): void {
  const { status, code, message } = refusal;
  if (deps.limits && !deps.limits.admit(ip, accountId)) {
    res.set('Retry-After', String(deps.limits.retryAfterSec()));
    return void res.status(429).json({ error: { code: 'rate_limited', message: 'Too many unverified requests; try again later.' } });
  }
  res.status(status).json({ error: { code, message } });
}
