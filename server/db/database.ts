import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trackCommits } from './commit-signals.ts';
import * as schema from './schema.ts';

/** The database: drizzle over better-sqlite3, with the raw client (`$client`) for what drizzle lacks. */
export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface DatabaseHandle {
  db: Db;
  sqlite: Database.Database;
  path: string;
  close(): void;
}

const MIGRATIONS = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Opens SQLite in WAL mode (readers never block the writer; a crash loses nothing committed) and
 * applies the committed drizzle-kit migrations. Applying them twice is harmless: drizzle records
 * what ran in __drizzle_migrations.
 */
export function openDatabase(path: string): DatabaseHandle {
  if (path !== ':memory:') ownerOnly(path);
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a notification we answered 2xx must survive power loss, not only a process crash.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // Several processes may share the file (reconciler, second instance): wait instead of failing.
  sqlite.pragma('busy_timeout = 5000');
  // 8 MiB of page cache (SQLite's default is 2): the hot pages (open payments, outbox, inbox index)
  // stay in it; the OS caches the rest of the file. 64 MiB cost 15-25 MB of RSS under load, no speed.
  sqlite.pragma('cache_size = -8192');
  // Every transaction delivers its commit signals (a queued sync job) only once it has committed.
  trackCommits(sqlite);
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS });
  return {
    db,
    sqlite,
    path,
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}

/**
 * The database holds tokens and credentials (sealed) and customers' payments: only the server's
 * own user may read it. A new file is created 0600 before SQLite opens it (SQLite gives the WAL
 * and shared-memory files the database file's mode), in a folder created 0700; an existing file
 * and its companions left readable by others are narrowed to 0600.
 */
function ownerOnly(path: string): void {
  const folder = dirname(resolve(path));
  if (!existsSync(folder)) mkdirSync(folder, { recursive: true, mode: 0o700 });
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    if (!existsSync(file) || (statSync(file).mode & 0o077) === 0) continue;
    try {
      chmodSync(file, 0o600);
    } catch {
      // Not ours to change (an operator tool run as another user reading a copy): leave it.
    }
  }
}

/** True when the database answers and every committed migration has been applied. */
export function isDatabaseReady(handle: DatabaseHandle): boolean {
  try {
    const row = handle.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number };
    return row.n >= expectedMigrationCount();
  } catch {
    return false;
  }
}

let cachedCount: number | undefined;
function expectedMigrationCount(): number {
  cachedCount ??= (JSON.parse(readFileSync(resolve(MIGRATIONS, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;
  return cachedCount;
}
