import { and, eq, sql } from 'drizzle-orm';
import { prepared } from '../db/prepared.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Db } from '../db/database.ts';
import { providerConfigs } from '../db/schema.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import type { Clock } from '../platform/clock.ts';
import type { HttpClient } from '../platform/http-client.ts';
import type { PaymentProvider, ProviderContext, ProviderName } from './provider.ts';
import type { ProviderRegistry } from './registry.ts';

export interface ProviderConfig {
  provider: ProviderName;
  enabled: boolean;
  mode: 'test' | 'live';
  baseUrl?: string;
  credentials: Record<string, unknown>;
}

export interface ProviderConfigStoreDeps {
  db: Db;
  secretBox: SecretBox;
  registry: ProviderRegistry;
  http: HttpClient;
  clock: Clock;
  publicUrl: string;
}

/**
 * Per-account provider settings, credentials sealed at rest. Reading a config re-validates the
 * credentials with the provider's own schema, so a malformed row fails loudly, not at the bank.
 */
export function createProviderConfigStore(deps: ProviderConfigStoreDeps) {
  function provider(name: string): PaymentProvider<any> {
    const p = deps.registry.get(name as ProviderName);
    if (!p) throw new NotFoundError('unknown_provider', `No provider "${name}". Known: ${[...deps.registry.keys()].join(', ')}`);
    return p;
  }

  // Opened credentials by sealed text: every save seals with a fresh IV, so a changed row never hits a stale entry.
  const opened = new Map<string, Record<string, unknown>>();
  function open(sealed: string): Record<string, unknown> {
    let creds = opened.get(sealed);
    if (!creds) {
      creds = JSON.parse(deps.secretBox.open(sealed)) as Record<string, unknown>;
      if (opened.size >= 1000) opened.delete(opened.keys().next().value as string);
      opened.set(sealed, creds);
    }
    return structuredClone(creds);
  }

  function toConfig(row: typeof providerConfigs.$inferSelect): ProviderConfig {
    return {
      provider: row.provider as ProviderName,
      enabled: row.enabled,
      mode: row.mode,
      baseUrl: row.baseUrl ?? undefined,
      credentials: open(row.credentialsSealed),
    };
  }

  function list(accountId: number): ProviderConfig[] {
    return deps.db
      .select()
      .from(providerConfigs)
      .where(eq(providerConfigs.accountId, accountId))
      .all()
      .filter((row) => deps.registry.has(row.provider as ProviderName))
      .map(toConfig);
  }

  function get(accountId: number, name: string): ProviderConfig | undefined {
    if (!deps.registry.has(name as ProviderName)) return undefined;
    const row = prepared(deps.db, 'providerConfig.get', () =>
      deps.db
        .select()
        .from(providerConfigs)
        .where(and(eq(providerConfigs.accountId, sql.placeholder('accountId')), eq(providerConfigs.provider, sql.placeholder('provider'))))
        .prepare(),
    ).get({ accountId, provider: name });
    return row ? toConfig(row) : undefined;
  }

  function enabledNames(accountId: number): ProviderName[] {
    return list(accountId)
      .filter((c) => c.enabled)
      .map((c) => c.provider);
  }

  /** The adapter and the context to call it with, for an account's configured provider. */
  function context(accountId: number, name: string): { provider: PaymentProvider<any>; ctx: ProviderContext<any> } {
    const p = provider(name);
    const config = get(accountId, name);
    if (!config) {
      throw new ConflictError(
        'provider_not_configured',
        `${name} is not configured for account ${accountId}; an admin must add its credentials in the widget settings.`,
      );
    }
    const creds = p.credentialsSchema.safeParse(config.credentials);
    if (!creds.success) {
      throw new ConflictError(
        'provider_misconfigured',
        `${name} credentials for account ${accountId} are incomplete: ${creds.error.issues.map((i) => i.path.join('.')).join(', ')}. Fix them in the widget settings.`,
      );
    }
    return {
      provider: p,
      ctx: {
        accountId,
        mode: config.mode,
        credentials: creds.data,
        baseUrl: config.baseUrl?.replace(/\/+$/, ''),
        http: deps.http,
        clock: deps.clock,
        publicUrl: deps.publicUrl,
      },
    };
  }

  /** Stores one provider's settings; credentials are validated by the provider's schema first. */
  function save(accountId: number, config: ProviderConfig): void {
    const p = provider(config.provider);
    const creds = p.credentialsSchema.safeParse(config.credentials);
    if (!creds.success) {
      throw new ValidationError(
        'invalid_provider_credentials',
        `${config.provider}: ${creds.error.issues.map((i) => `${i.path.join('.') || 'credentials'} ${i.message}`).join('; ')}`,
        { provider: config.provider, issues: creds.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
      );
    }
    const now = deps.clock.now();
    const values = {
      enabled: config.enabled,
      mode: config.mode,
      baseUrl: config.baseUrl ?? null,
      credentialsSealed: deps.secretBox.seal(JSON.stringify(creds.data)),
      updatedAt: now,
    };
    deps.db
      .insert(providerConfigs)
      .values({ accountId, provider: config.provider, ...values })
      .onConflictDoUpdate({ target: [providerConfigs.accountId, providerConfigs.provider], set: values })
      .run();
  }

  return { provider, list, get, enabledNames, context, save };
}

export type ProviderConfigStore = ReturnType<typeof createProviderConfigStore>;
