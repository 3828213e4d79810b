import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Currency } from '../../shared/money.ts';
import type { AccountContexts } from '../accounts/account-context.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Store } from '../db/store.ts';
import type { StrangerLimits } from '../http/stranger-limits.ts';
import type { LinkRunner } from '../lead-links/link-runner.ts';
import { openLinkRequest } from '../lead-links/link-request-store.ts';
import type { Logger } from '../logging/logger.ts';
import { recordObservation } from '../observations/observation-store.ts';
import type { Clock } from '../platform/clock.ts';
import { isPipelineKey } from './pipeline-key-store.ts';
import { DP_SETTING_KEYS, triggerParams } from './trigger-settings.ts';

export interface PipelineHookDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  secretBox: SecretBox;
  accounts: AccountContexts;
  runner: Pick<LinkRunner, 'kick'>;
  limits?: StrangerLimits;
}

const id = z.coerce.number().int().positive();

/** The documented hook (https://www.amocrm.ru/developers/content/digital_pipeline/integrations); form bodies send numbers as strings. */
const hookSchema = z.looseObject({
  account_id: id,
  event: z.looseObject({
    type: z.coerce.number().int(),
    data: z.looseObject({
      id,
      element_type: z.coerce.number().int().optional(),
      status_id: z.coerce.number().int().optional(),
      pipeline_id: z.coerce.number().int().optional(),
      direction_of_movement: z.string().optional(),
    }),
    time: z.coerce.number().int().optional(),
  }),
  action: z.looseObject({ settings: z.looseObject({ widget: z.looseObject({ settings: z.record(z.string(), z.unknown()) }) }) }),
});

/** Lead events that mean "entered the stage": the docs show both 14 and 15 for it, and 1 for a new lead. */
const ENTERING = new Set([1, 14, 15]);

/**
 * POST /amocrm/pipeline: the Digital Pipeline action "create a payment link" (docs/architecture.md,
 * Digital Pipeline). amoCRM signs nothing, so the hook must carry the account's key from the
 * trigger's hidden setting (else 403, counted against the strangers' budget). A lead entering the
 * stage opens one link request per trigger event (type, lead, pipeline, stage, time): a duplicate or
 * a retry finds the same request and makes nothing more. Answered at once; the link is made in the
 * background (server/lead-links/link-runner.ts).
 */
export function pipelineHook(deps: PipelineHookDeps): RequestHandler {
  return async (req, res) => {
    const parsed = hookSchema.safeParse(req.body);
    const accountId = parsed.success ? parsed.data.account_id : undefined;
    const hook = parsed.success ? parsed.data : undefined;
    const ctx = accountId !== undefined ? await deps.accounts.load(accountId) : undefined;
    if (
      !hook ||
      !ctx ||
      !(await deps.store.run((tx) =>
        isPipelineKey(tx, deps.secretBox, ctx.accountId, hook.action.settings.widget.settings[DP_SETTING_KEYS.key]),
      ))
    ) {
      if (deps.limits && !deps.limits.admit(req.ip, accountId)) {
        res.set('Retry-After', String(deps.limits.retryAfterSec()));
        return void res.status(429).json({ error: { code: 'rate_limited', message: 'Too many unverified requests; try again later.' } });
      }
      const code = hook ? 'invalid_pipeline_key' : 'invalid_body';
      return void res.status(hook ? 403 : 400).json({
        error: {
          code,
          message: hook
            ? 'The hook does not carry this account’s dramlink key: set the action up again in the pipeline.'
            : 'Not a Digital Pipeline hook.',
        },
      });
    }
    const now = deps.clock.now();
    const { data } = hook.event;
    const contentType = req.is('application/json') ? 'json' : 'form';
    await deps.store.transaction((tx) =>
      recordObservation(
        tx,
        ctx.accountId,
        'digital_pipeline',
        { lastHookAt: now, contentType, lastType: hook.event.type, direction: data.direction_of_movement ?? null },
        now,
      ),
    );
    if (
      (data.element_type !== undefined && data.element_type !== 2) ||
      !ENTERING.has(hook.event.type) ||
      (data.direction_of_movement ?? 'went_to_trigger') !== 'went_to_trigger'
    ) {
      return void res.json({ ok: true, ignored: true });
    }
    const params = triggerParams(hook.action.settings.widget.settings, ctx.settings.defaultCurrency as Currency);
    const key = `${hook.event.type}:${data.id}:${data.pipeline_id ?? 0}:${data.status_id ?? 0}:${hook.event.time ?? 0}`;
    const { created } = await deps.store.transaction((tx) =>
      openLinkRequest(tx, { accountId: ctx.accountId, source: 'pipeline', requestKey: key, leadId: data.id, params, now }),
    );
    if (created) deps.runner.kick();
    deps.logger.info('digital pipeline: trigger received', { accountId: ctx.accountId, leadId: data.id, duplicate: !created, contentType });
    res.json({ ok: true, duplicate: !created });
  };
}
