import { sqlitePath } from '../config/config.ts';
import { openPostgresStore, type PostgresStoreOptions } from './postgres-store.ts';
import { openSqliteStore } from './sqlite-store.ts';
import { isPostgresUrl, type Store } from './store.ts';

/** The store DATABASE_URL names: PostgreSQL for postgres://, otherwise the SQLite file (or :memory:). Migrated before it returns. */
export async function openStore(databaseUrl: string, opts: PostgresStoreOptions = {}): Promise<Store> {
  if (isPostgresUrl(databaseUrl)) return openPostgresStore(databaseUrl, opts);
  return openSqliteStore(sqlitePath(databaseUrl));
}
