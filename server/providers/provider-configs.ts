import type { SecretBox } from '../crypto/secret-box.ts';
import type { Db } from '../db/database.ts';
import { NotFoundError, ValidationError } from '../errors/app-error.ts';
import { createConfigRows, type ProviderConfig } from './config-rows.ts';
import type { PaymentProvider, ProviderContext, ProviderName } from './provider.ts';
import { providerContext, type ContextDeps } from './provider-context.ts';
import type { ProviderRegistry } from './registry.ts';

export type { ProviderConfig } from './config-rows.ts';

export interface ProviderConfigStoreDeps extends ContextDeps {
  db: Db;
  secretBox: SecretBox;
  registry: ProviderRegistry;
}

/**
 * Per-account provider settings, credentials sealed at rest. Reading a config for a call
 * re-validates the credentials with the provider's own schema, so a malformed row fails loudly,
 * not at the bank.
 */
export function createProviderConfigStore(deps: ProviderConfigStoreDeps) {
  const rows = createConfigRows(deps);

  function provider(name: string): PaymentProvider<any> {
    const p = deps.registry.get(name as ProviderName);
    if (!p) throw new NotFoundError('unknown_provider', `No provider "${name}". Known: ${[...deps.registry.keys()].join(', ')}`);
    return p;
  }

  function enabledNames(accountId: number): ProviderName[] {
    return rows
      .list(accountId)
      .filter((c) => c.enabled)
      .map((c) => c.provider);
  }

  /** The adapter and the context to call it with, for an account's configured provider. */
  function context(accountId: number, name: string): { provider: PaymentProvider<any>; ctx: ProviderContext<any> } {
    const p = provider(name);
    return { provider: p, ctx: providerContext(deps, p, accountId, rows.get(accountId, name)) };
  }

  /** Stores one provider's settings; credentials are validated by the provider's schema first. */
  function save(accountId: number, config: ProviderConfig): void {
    const creds = provider(config.provider).credentialsSchema.safeParse(config.credentials);
    if (!creds.success) {
      const issues = creds.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      throw new ValidationError(
        'invalid_provider_credentials',
        `${config.provider}: ${issues.map((i) => `${i.path || 'credentials'} ${i.message}`).join('; ')}`,
        { provider: config.provider, issues },
      );
    }
    rows.upsert(accountId, { ...config, credentials: creds.data as Record<string, unknown> }, deps.clock.now());
  }

  return { provider, list: rows.list, get: rows.get, enabledNames, context, save };
}

export type ProviderConfigStore = ReturnType<typeof createProviderConfigStore>;
