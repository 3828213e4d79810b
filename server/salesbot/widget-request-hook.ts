import type { RequestHandler } from 'express';
import type { Currency } from '../../shared/money.ts';
import type { AccountContexts } from '../accounts/account-context.ts';
import type { Store } from '../db/store.ts';
import { isAppError } from '../errors/app-error.ts';
import type { StrangerLimits } from '../http/stranger-limits.ts';
import type { LinkRunner } from '../lead-links/link-runner.ts';
import { openLinkRequest } from '../lead-links/link-request-store.ts';
import type { Logger } from '../logging/logger.ts';
import { recordObservation } from '../observations/observation-store.ts';
import type { Clock } from '../platform/clock.ts';
import { queueBotContinue } from '../sync/outbox.ts';
import { botErrorAnswer } from './bot-answer.ts';
import { verifyBotToken, type BotToken } from './bot-token.ts';
import { continuePathOf } from './return-url.ts';
import { designerObservation, stepDataOf, stepParams, type StepData } from './step-data.ts';

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
 * lead's link and queues the continue with `{{json.status}}`, `{{json.payment_url}}`… How the link
 * is made (amount, payment methods, lifetime) comes from the step's `data` (server/salesbot/step-data.ts:
 * the designer step sends them; a bare step makes it from the lead's price). A step for anything but
 * a lead is answered with `status: error`, `error: not_a_lead`.
 */
export function widgetRequestHook(deps: WidgetRequestDeps): RequestHandler {
  return async (req, res) => {
    const now = deps.clock.now();
    const body = (req.body ?? {}) as { token?: unknown; return_url?: unknown; data?: unknown };
    const token = verified(deps, body.token, now);
    if ('code' in token)
      return refuse(deps, req.ip, res, { status: 401, code: token.code, message: 'The widget_request token does not verify.' });
    const ctx = await deps.accounts.load(token.accountId);
    if (!ctx) {
      const refusal = { status: 404, code: 'account_not_found', message: 'This amoCRM account has not installed dramlink.' };
      return refuse(deps, req.ip, res, refusal, token.accountId);
    }
    const path = continuePathOf(body.return_url, ctx.baseUrl);
    const data = stepDataOf(body.data);
    await noteWhatCame(deps, ctx.accountId, { token, data, now, refusedReturnUrl: path === undefined });
    if (!path) {
      const refusal = { status: 400, code: 'invalid_return_url', message: 'return_url is not this account’s Salesbot continue address.' };
      return refuse(deps, req.ip, res, refusal, ctx.accountId);
    }
    await accept(deps, { accountId: ctx.accountId, currency: ctx.settings.defaultCurrency as Currency }, token, { path, data, now });
    res.json({ ok: true });
  };
}

/** Opens the link request for the lead (or answers at once that there is no lead), in one statement each. */
async function accept(
  deps: WidgetRequestDeps,
  account: { accountId: number; currency: Currency },
  token: BotToken,
  step: { path: string; data: StepData; now: number },
): Promise<void> {
  const { accountId } = account;
  const { path, now } = step;
  if (token.entity.kind !== 'lead') {
    const continued = { path, data: botErrorAnswer('not_a_lead') };
    await deps.store.run((tx) => queueBotContinue(tx, { accountId, leadId: 0, paymentId: null, continued, now }));
    return;
  }
  const params = stepParams(step.data, account.currency, path);
  const leadId = token.entity.id;
  const { created } = await deps.store.transaction((tx) =>
    openLinkRequest(tx, { accountId, source: 'salesbot', requestKey: path, leadId, params, now }),
  );
  if (created) deps.runner.kick();
  deps.logger.info('salesbot: widget_request received', { accountId, leadId, duplicate: !created });
}

/**
 * What amoCRM sent (the token's algorithm and claim names, the entity kind; for a designer step,
 * whether amoCRM filled its `{{lead.id}}`): doctor reports it.
 */
async function noteWhatCame(
  deps: WidgetRequestDeps,
  accountId: number,
  came: { token: BotToken; data: StepData; now: number; refusedReturnUrl: boolean },
): Promise<void> {
  const { token, now } = came;
  const entityType = token.entity.kind === 'lead' ? 'lead' : token.entity.type;
  const seen = { lastRequestAt: now, tokenAlg: token.alg, tokenClaims: token.claimNames.join(','), entityType };
  const designer = designerObservation(came.data, token.entity.kind === 'lead' ? token.entity.id : null, now);
  await deps.store.transaction(function* (tx) {
    yield* recordObservation(tx, accountId, 'salesbot', came.refusedReturnUrl ? { ...seen, lastRefusedReturnUrlAt: now } : seen, now);
    if (designer) yield* recordObservation(tx, accountId, 'salesbot_designer', designer, now);
  });
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
