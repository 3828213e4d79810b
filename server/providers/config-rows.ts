import { and, eq, sql } from 'drizzle-orm';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Db } from '../db/database.ts';
import { prepared } from '../db/prepared.ts';
import { providerConfigs } from '../db/schema.ts';
import { createCredentialOpener } from './credential-opener.ts';
import type { ProviderName } from './provider.ts';
import type { ProviderRegistry } from './registry.ts';

export interface ProviderConfig {
  provider: ProviderName;
  enabled: boolean;
  mode: 'test' | 'live';
  baseUrl?: string;
  credentials: Record<string, unknown>;
}

/** The provider_configs rows of this server's providers, credentials opened on read and sealed on write. */
export function createConfigRows(deps: { db: Db; secretBox: SecretBox; registry: ProviderRegistry }) {
  const { db, registry } = deps;
  const open = createCredentialOpener(deps.secretBox);
  const toConfig = (row: typeof providerConfigs.$inferSelect): ProviderConfig => ({
    provider: row.provider as ProviderName,
    enabled: row.enabled,
    mode: row.mode,
    baseUrl: row.baseUrl ?? undefined,
    credentials: open(row.credentialsSealed),
  });

  function list(accountId: number): ProviderConfig[] {
    const rows = db.select().from(providerConfigs).where(eq(providerConfigs.accountId, accountId)).all();
    return rows.filter((row) => registry.has(row.provider as ProviderName)).map(toConfig);
  }

  function get(accountId: number, name: string): ProviderConfig | undefined {
    if (!registry.has(name as ProviderName)) return undefined;
    const row = prepared(db, 'providerConfig.get', () =>
      db
        .select()
        .from(providerConfigs)
        .where(and(eq(providerConfigs.accountId, sql.placeholder('accountId')), eq(providerConfigs.provider, sql.placeholder('provider'))))
        .prepare(),
    ).get({ accountId, provider: name });
    return row ? toConfig(row) : undefined;
  }

  /** Insert or replace one provider's row; `credentials` must already be validated. */
  function upsert(accountId: number, config: ProviderConfig, now: number): void {
    const values = {
      enabled: config.enabled,
      mode: config.mode,
      baseUrl: config.baseUrl ?? null,
      credentialsSealed: deps.secretBox.seal(JSON.stringify(config.credentials)),
      updatedAt: now,
    };
    db.insert(providerConfigs)
      .values({ accountId, provider: config.provider, ...values })
      .onConflictDoUpdate({ target: [providerConfigs.accountId, providerConfigs.provider], set: values })
      .run();
  }

  return { list, get, upsert };
}
