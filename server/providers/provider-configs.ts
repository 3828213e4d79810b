import type { SecretBox } from '../crypto/secret-box.ts';
import type { Step } from '../db/step.ts';
import type { Store } from '../db/store.ts';
import type { Tx } from '../db/tx.ts';
import { NotFoundError, ValidationError } from '../errors/app-error.ts';
import { createConfigRows, type ProviderConfig, type ProviderConfigRow } from './config-rows.ts';
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

  /**
   * Contexts built from a stored row, kept while the row is unchanged: the row is read on every call
   * (another instance may have saved new credentials), but opening the sealed credentials and
   * validating them with the provider's schema is done once per saved version, not per notification.
   */
  const contexts = new Map<string, { row: ProviderConfigRow; ctx: ProviderContext<any> }>();

  /** The adapter and the context to call it with, for an account's configured provider. */
  async function context(accountId: number, name: string): Promise<{ provider: PaymentProvider<any>; ctx: ProviderContext<any> }> {
    const p = provider(name);
    const row = await rows.getRow(accountId, name);
    if (!row) return { provider: p, ctx: providerContext(deps, p, accountId, undefined) };
    const key = `${accountId}:${name}`;
    const kept = contexts.get(key);
    if (kept && sameVersion(kept.row, row)) return { provider: p, ctx: kept.ctx };
    // Shared by every call until the row changes: frozen, so no call can change what another sees.
    const ctx = frozen(providerContext(deps, p, accountId, rows.toConfig(row)));
    contexts.delete(key);
    if (contexts.size >= MAX_CONTEXTS) contexts.delete(contexts.keys().next().value as string);
    contexts.set(key, { row, ctx });
    return { provider: p, ctx };
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

/** How many built contexts stay kept (one per account and provider in use). */
const MAX_CONTEXTS = 1000;

/** The same saved version of a row: every save seals the credentials with a fresh IV, so a new save never matches. */
function sameVersion(a: ProviderConfigRow, b: ProviderConfigRow): boolean {
  return (
    a.credentialsSealed === b.credentialsSealed &&
    a.updatedAt === b.updatedAt &&
    a.mode === b.mode &&
    a.baseUrl === b.baseUrl &&
    a.enabled === b.enabled
  );
}

/** The context with its credentials frozen all the way down (the seams it carries stay as they are). */
function frozen(ctx: ProviderContext<any>): ProviderContext<any> {
  const freeze = (value: unknown): unknown => {
    if (value && typeof value === 'object' && !Object.isFrozen(value)) {
      for (const inner of Object.values(value)) freeze(inner);
      Object.freeze(value);
    }
    return value;
  };
  freeze(ctx.credentials);
  return Object.freeze(ctx);
}
