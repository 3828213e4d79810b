import type { Router } from 'express';
import { providerNameSchema, providerSettingsSchema, settingsSchema } from '../../../shared/api.ts';
import { isAppError, NotFoundError } from '../../errors/app-error.ts';
import { probeProvider } from '../../providers/probe-provider.ts';
import { providerContext } from '../../providers/provider-context.ts';
import type { ProviderName } from '../../providers/provider.ts';
import { authOf } from '../auth/middleware.ts';
import type { WidgetApiDeps } from '../deps.ts';
import { planSettingsUpdate } from '../settings-update.ts';
import { parseBody } from '../validate.ts';

/**
 * POST /settings/providers/:provider/test (admins only): the provider's settings as the form holds
 * them (the object `PUT /settings` takes for it; a secret left out, or sent masked, means the stored
 * one) are checked with the provider's own schema, then proven with one harmless call (its probe).
 * Nothing is saved. 200 {ok, code, message}: credentials_accepted, credentials_rejected,
 * `<provider>_unreachable`, `<provider>_timeout`, probe_not_supported, invalid_settings; 400 for a
 * body that is not a provider settings object; 404 for a provider this server does not have.
 */
export function testProviderRoute(router: Router, deps: WidgetApiDeps): void {
  router.post('/settings/providers/:provider/test', deps.auth, deps.admin, async (req, res) => {
    const auth = authOf(res);
    const { registry, providers, config, http, clock } = deps.services;
    const name = providerNameSchema.safeParse(req.params.provider);
    const provider = name.success ? registry.get(name.data as ProviderName) : undefined;
    if (!provider)
      throw new NotFoundError(
        'unknown_provider',
        `No provider "${req.params.provider}" on this server. Known: ${[...registry.keys()].join(', ')}`,
      );
    const sent = parseBody(req, providerSettingsSchema);
    let plan;
    try {
      plan = planSettingsUpdate({
        registry,
        outbound: deps.services.outbound,
        storedAccount: auth.account.account.storedSettings,
        currentAccount: auth.account.settings,
        storedConfigs: await providers.list(auth.accountId),
        body: settingsSchema.parse({ providers: { [provider.name]: sent } }),
      });
    } catch (err) {
      if (!isAppError(err) || err.status !== 400) throw err;
      res.json({ ok: false, code: 'invalid_settings', message: err.message });
      return;
    }
    const ctx = providerContext(
      { http, clock, publicUrl: config.publicUrl, outbound: deps.services.outbound },
      provider,
      auth.accountId,
      plan.providers[0],
    );
    res.json(await probeProvider(provider, ctx));
  });
}
