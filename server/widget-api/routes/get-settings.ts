import type { Router } from 'express';
import { isAppError } from '../../errors/app-error.ts';
import { authOf } from '../auth/middleware.ts';
import type { WidgetApiDeps } from '../deps.ts';
import { LEAD_READ_DEADLINE_MS, withDeadline } from '../lead-price.ts';
import { answersInteractiveCalls } from '../../accounts/account-standing.ts';
import type { Pipeline } from '../../amocrm/endpoints/index.ts';
import { settingsView } from '../views/settings.ts';

/**
 * GET /settings (admins only): the account's Settings, every secret masked (`••••abcd` at most),
 * plus the account's pipelines when amoCRM answers in time, so the stage mapping is picked by name
 * instead of typed as ids. Without them (amoCRM slow or down) the settings still open.
 */
export function getSettingsRoute(router: Router, deps: WidgetApiDeps): void {
  router.get('/settings', deps.auth, deps.admin, async (_req, res, next) => {
    try {
      const auth = authOf(res);
      const { registry, providers, logger, config } = deps.services;
      let pipelines: Pipeline[] | undefined;
      if (answersInteractiveCalls(auth.account.account)) {
        try {
          pipelines = await withDeadline(auth.account.amocrm.pipelines.list(), LEAD_READ_DEADLINE_MS);
        } catch (err) {
          logger.warn('widget api: settings open without pipelines', {
            accountId: auth.accountId,
            code: isAppError(err) ? err.code : undefined,
          });
        }
      }
      res.json({
        ...settingsView(registry, auth.account.settings, await providers.list(auth.accountId), {
          publicUrl: config.publicUrl,
          accountId: auth.accountId,
        }),
        ...(pipelines ? { pipelines } : {}),
      });
    } catch (err) {
      next(err);
    }
  });
}
