import express, { Router } from 'express';
import type { AccountContexts } from '../../accounts/account-context.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { Store } from '../../db/store.ts';
import type { LinkRunner } from '../../lead-links/link-runner.ts';
import type { Logger } from '../../logging/logger.ts';
import { pipelineHook } from '../../pipeline/pipeline-hook.ts';
import type { Clock } from '../../platform/clock.ts';
import { widgetRequestHook } from '../../salesbot/widget-request-hook.ts';
import type { StrangerLimits } from '../stranger-limits.ts';

export interface AmocrmHooksDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  secretBox: SecretBox;
  accounts: AccountContexts;
  linkRunner: Pick<LinkRunner, 'kick'>;
  config: { amocrm: { clientSecret?: string } };
}

/**
 * What amoCRM itself posts to the server besides the install: the Digital Pipeline action's hook
 * (`dp.webhook_url` in the widget's manifest) and the Salesbot step's `widget_request`. JSON or a
 * PHP-style form (amoCRM documents no content type for the pipeline hook), at most 16 KB.
 */
export function amocrmHookRoutes(services: AmocrmHooksDeps, limits?: StrangerLimits): Router {
  const router = Router();
  const deps = { ...services, runner: services.linkRunner, clientSecret: services.config.amocrm.clientSecret, limits };
  const bodies = [express.json({ limit: '16kb' }), express.urlencoded({ extended: true, limit: '16kb', parameterLimit: 200 })];
  router.post('/amocrm/pipeline', ...bodies, pipelineHook(deps));
  router.post('/amocrm/salesbot', ...bodies, widgetRequestHook(deps));
  return router;
}
