import type { Router } from 'express';
import { settingsSchema } from '../../../shared/api.ts';
import { parseAccountSettings } from '../../accounts/account-settings.ts';
import { saveSettings } from '../../accounts/account-store.ts';
import { authOf } from '../auth/middleware.ts';
import type { WidgetApiDeps } from '../deps.ts';
import { checkStageMapping, planSettingsUpdate } from '../settings-update.ts';
import { parseBody } from '../validate.ts';
import { settingsView } from '../views/settings.ts';
import type { AccountContext } from '../../accounts/account-context.ts';
import { accountLanguage } from '../../accounts/account-language.ts';
import { storedSettingsObject } from '../../accounts/account-settings.ts';
import { answersInteractiveCalls } from '../../accounts/account-standing.ts';

/**
 * An admin who picks another language sees the lead fields renamed at once, in the background (the
 * answer does not wait for amoCRM); if that fails, the sync worker relabels before its next write.
 */
function relabelIfLanguageChanged(deps: WidgetApiDeps, ctx: AccountContext, stored: Record<string, unknown>): void {
  const account = ctx.account;
  const before = accountLanguage(account);
  account.storedSettings = storedSettingsObject(JSON.stringify(stored));
  account.settings = parseAccountSettings(JSON.stringify(stored));
  if (stored.language === undefined || accountLanguage(account) === before || !answersInteractiveCalls(account)) return;
  deps.services.amocrm.ensureLeadFields(ctx).catch((err: Error) => {
    deps.services.logger.warn('settings: relabeling the lead fields failed; the sync worker retries', {
      accountId: account.id,
      error: err.message,
    });
  });
}

/**
 * PUT /settings (admins only): validates every provider's credentials and mode with the provider's
 * own schema, keeps a stored secret the widget did not send (or sent masked), checks a changed stage
 * mapping against the account's pipelines in amoCRM, then stores everything in one transaction
 * (credentials sealed) with one audit entry naming who changed which fields (never a secret value).
 */
export function putSettingsRoute(router: Router, deps: WidgetApiDeps): void {
  router.put('/settings', deps.auth, deps.admin, async (req, res) => {
    const auth = authOf(res);
    const body = parseBody(req, settingsSchema);
    const { store, registry, providers, clock, logger, config } = deps.services;
    const plan = planSettingsUpdate({
      registry,
      outbound: deps.services.outbound,
      storedAccount: auth.account.account.storedSettings,
      currentAccount: auth.account.settings,
      storedConfigs: await providers.list(auth.accountId),
      body,
    });
    if (plan.stageMappingChanged && body.stageMapping && Object.keys(body.stageMapping).length > 0) {
      checkStageMapping(body.stageMapping, await auth.account.amocrm.pipelines.list());
    }

    const now = clock.now();
    await store.transaction(function* (tx) {
      for (const config of plan.providers) yield* providers.save(tx, auth.accountId, config);
      yield* saveSettings(tx, auth.accountId, plan.account, now);
      if (plan.changes.length) {
        yield* tx.run(
          tx.insert(tx.t.auditEntries).values({
            accountId: auth.accountId,
            paymentId: null,
            at: now,
            actor: auth.actor,
            action: 'settings_changed',
            details: JSON.stringify({ changes: plan.changes }),
          }),
        );
      }
    });
    logger.info('settings changed', { accountId: auth.accountId, actor: auth.actor, fields: plan.changes.map((c) => c.field) });
    relabelIfLanguageChanged(deps, auth.account, plan.account);
    const where = { publicUrl: config.publicUrl, accountId: auth.accountId };
    res.json(settingsView(registry, parseAccountSettings(JSON.stringify(plan.account)), await providers.list(auth.accountId), where));
  });
}
