import type { SecretBox } from '../crypto/secret-box.ts';
import type { Step } from '../db/step.ts';
import type { Store } from '../db/store.ts';
import type { Tx } from '../db/tx.ts';
import { NotFoundError, ValidationError } from '../errors/app-error.ts';
import { createConfigRows, type ProviderConfig } from './config-rows.ts';
import type { PaymentProvider, ProviderContext, ProviderName } from './provider.ts';
import { providerContext, type ContextDeps } from './provider-context.ts';
import type { ProviderRegistry } from './registry.ts';

export type { ProviderConfig } from './config-rows.ts';

export interface ProviderConfigStoreDeps extends ContextDeps {
  store: Store;
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

  async function enabledNames(accountId: number): Promise<ProviderName[]> {
    return (await rows.list(accountId)).filter((c) => c.enabled).map((c) => c.provider);
  }

  /** The adapter and the context to call it with, for an account's configured provider. */
  async function context(accountId: number, name: string): Promise<{ provider: PaymentProvider<any>; ctx: ProviderContext<any> }> {
    const p = provider(name);
    return { provider: p, ctx: providerContext(deps, p, accountId, await rows.get(accountId, name)) };
  }

  /** Stores one provider's settings in the caller's transaction; credentials are validated by the provider's schema first. */
  function* save(tx: Tx, accountId: number, config: ProviderConfig): Step<void> {
    const creds = provider(config.provider).credentialsSchema.safeParse(config.credentials);
    if (!creds.success) {
      const issues = creds.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      throw new ValidationError(
        'invalid_provider_credentials',
        `${config.provider}: ${issues.map((i) => `${i.path || 'credentials'} ${i.message}`).join('; ')}`,
        { provider: config.provider, issues },
      );
    }
    yield* rows.upsert(tx, accountId, { ...config, credentials: creds.data as Record<string, unknown> }, deps.clock.now());
  }

  return { provider, list: rows.list, get: rows.get, enabledNames, context, save };
}

export type ProviderConfigStore = ReturnType<typeof createProviderConfigStore>;
