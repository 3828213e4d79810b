import type { Router } from 'express';
import { readAccountSettings } from '../account-settings.ts';
import { authOf } from '../auth/middleware.ts';
import type { WidgetApiDeps } from '../deps.ts';
import { settingsView } from '../views/settings.ts';

/** GET /settings (admins only): the account's Settings, every secret masked (`••••abcd` at most). */
export function getSettingsRoute(router: Router, deps: WidgetApiDeps): void {
  router.get('/settings', deps.auth, deps.admin, (_req, res) => {
    const auth = authOf(res);
    const { db, registry, providers } = deps.services;
    res.json(settingsView(registry, readAccountSettings(db, auth.accountId), providers.list(auth.accountId)));
  });
}
