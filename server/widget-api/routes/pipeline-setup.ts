import type { Router } from 'express';
import type { PipelineSetupView } from '../../../shared/api.ts';
import { pipelineKeyOf } from '../../pipeline/pipeline-key-store.ts';
import { DP_SETTING_KEYS } from '../../pipeline/trigger-settings.ts';
import { authOf } from '../auth/middleware.ts';
import type { WidgetApiDeps } from '../deps.ts';

/**
 * GET /pipeline/setup (admins): what the Digital Pipeline action's settings view needs: the
 * account's hook key (made on the first ask), written into each trigger's hidden setting, and the
 * names of the settings amoCRM sends back. The hook address is the manifest's `dp.webhook_url`.
 */
export function pipelineSetupRoute(router: Router, deps: WidgetApiDeps): void {
  router.get('/pipeline/setup', deps.auth, deps.admin, async (_req, res) => {
    const auth = authOf(res);
    const { store, secretBox, clock, config } = deps.services;
    const view: PipelineSetupView = {
      key: await store.transaction((tx) => pipelineKeyOf(tx, secretBox, auth.accountId, clock.now())),
      webhookUrl: `${config.publicUrl}/amocrm/pipeline`,
      settingKeys: { ...DP_SETTING_KEYS },
    };
    res.json(view);
  });
}
