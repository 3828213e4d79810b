import { and, eq, sql } from 'drizzle-orm';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { providerConfigs } from '../db/schema.ts';
import type { Step } from '../db/step.ts';
import type { Store } from '../db/store.ts';
import type { Tx } from '../db/tx.ts';
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

export type ProviderConfigRow = typeof providerConfigs.$inferSelect;

/** The provider_configs rows of this server's providers, credentials opened on read and sealed on write. */
export function createConfigRows(deps: { store: Store; secretBox: SecretBox; registry: ProviderRegistry }) {
  const { store, registry } = deps;
  const open = createCredentialOpener(deps.secretBox);
  const toConfig = (row: ProviderConfigRow): ProviderConfig => ({
    provider: row.provider as ProviderName,
    enabled: row.enabled,
    mode: row.mode,
    baseUrl: row.baseUrl ?? undefined,
    credentials: open(row.credentialsSealed),
  });

  async function list(accountId: number): Promise<ProviderConfig[]> {
    const rows = await store.run((tx) =>
      tx.all(tx.select().from(tx.t.providerConfigs).where(eq(tx.t.providerConfigs.accountId, accountId))),
    );
    return rows.filter((row) => registry.has(row.provider as ProviderName)).map(toConfig);
  }

  async function get(accountId: number, name: string): Promise<ProviderConfig | undefined> {
    const row = await getRow(accountId, name);
    return row ? toConfig(row) : undefined;
  }

  /** The stored row itself, credentials still sealed (read on every notification: one kept statement). */
  async function getRow(accountId: number, name: string): Promise<ProviderConfigRow | undefined> {
    if (!registry.has(name as ProviderName)) return undefined;
    return store.run(function* (tx) {
      const { providerConfigs } = tx.t;
      const statement = tx.prepared('providerConfig.get', () =>
        tx
          .select()
          .from(providerConfigs)
          .where(
            and(eq(providerConfigs.accountId, sql.placeholder('accountId')), eq(providerConfigs.provider, sql.placeholder('provider'))),
          )
          .prepare(),
      );
      return yield* tx.get(statement, { accountId, provider: name });
    });
  }

  /** Insert or replace one provider's row, in the caller's transaction; `credentials` must already be validated. */
  function* upsert(tx: Tx, accountId: number, config: ProviderConfig, now: number): Step<void> {
    const { providerConfigs } = tx.t;
    const values = {
      enabled: config.enabled,
      mode: config.mode,
      baseUrl: config.baseUrl ?? null,
      credentialsSealed: deps.secretBox.seal(JSON.stringify(config.credentials)),
      updatedAt: now,
    };
    yield* tx.run(
      tx
        .insert(providerConfigs)
        .values({ accountId, provider: config.provider, ...values })
        .onConflictDoUpdate({ target: [providerConfigs.accountId, providerConfigs.provider], set: values }),
    );
  }

  return { list, get, getRow, toConfig, upsert };
}
