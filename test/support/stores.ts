import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgresStore, type PostgresStoreOptions } from '../../server/db/postgres-store.ts';
import { openSqliteStore } from '../../server/db/sqlite-store.ts';
import { done } from '../../server/db/step.ts';
import type { Store } from '../../server/db/store.ts';
import type { Tx } from '../../server/db/tx.ts';
import { REPO_ROOT } from '../../scripts/build-server/paths.ts';
import { createScratchDatabase, dropDatabase, postgresAnswers, type ScratchDatabase } from '../../scripts/postgres/scratch-database.ts';

/**
 * Both stores in tests (docs/architecture.md, The stores). SQLite runs everywhere. PostgreSQL runs
 * against the server in TEST_POSTGRES_URL (`.ci/run` starts one with scripts/pg-test.sh and exports
 * it), or, when that is unset, the cluster `scripts/pg-test.sh start` left running on this machine.
 * Without either, the PostgreSQL suites are skipped with a message: only outside CI. CI is any
 * environment with CI set (to anything but "" / "0" / "false", as GitHub Actions, GitLab and
 * `.ci/run` set it): there a missing server fails the run instead.
 */
export type StoreKind = 'sqlite' | 'postgres';

export const IN_CI = !!process.env.CI && !['0', 'false'].includes(process.env.CI.toLowerCase());

function runningClusterUrl(): string | undefined {
  try {
    const line = execFileSync('bash', [join(REPO_ROOT, 'scripts', 'pg-test.sh'), 'url'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return line.trim().replace(/^DATABASE_URL=/, '') || undefined;
  } catch {
    return undefined;
  }
}

const candidate = process.env.TEST_POSTGRES_URL || runningClusterUrl();
/** The PostgreSQL server the tests use, or undefined (then the PostgreSQL suites skip, outside CI). */
export const POSTGRES_URL: string | undefined = candidate && (await postgresAnswers(candidate)) ? candidate : undefined;

if (!POSTGRES_URL) {
  const why = candidate
    ? `no PostgreSQL answers at ${candidate.replace(/\/\/[^@]*@/, '//')}`
    : 'TEST_POSTGRES_URL is not set and no scripts/pg-test.sh cluster runs';
  if (IN_CI) throw new Error(`PostgreSQL is required in CI (CI=${process.env.CI}): ${why}. .ci/run starts one with scripts/pg-test.sh.`);
  process.stderr.write(`\n[tests] PostgreSQL suites are SKIPPED: ${why}. Run \`bash scripts/pg-test.sh start\` to include them.\n\n`);
}

/** The stores this run tests: SQLite always, PostgreSQL when a server answers. */
export const STORE_KINDS: readonly StoreKind[] = POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'];

let template: Promise<string> | undefined;
const created = new Set<string>();

/** One migrated database per test process, copied for each test store (CREATE DATABASE … TEMPLATE: about 0.1 s). */
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const scratch = await createScratchDatabase(POSTGRES_URL!, { prefix: `dramlink_tpl_${process.pid}` });
    created.add(scratch.name);
    const store = await openPostgresStore(scratch.url, { poolSize: 1 });
    await store.close();
    return scratch.name;
  })();
  return template;
}

/** A PostgreSQL database of its own, migrated; dropped when its store closes. */
export async function scratchPostgres(): Promise<ScratchDatabase> {
  if (!POSTGRES_URL) throw new Error('no PostgreSQL server for the tests (see test/support/stores.ts)');
  const scratch = await createScratchDatabase(POSTGRES_URL, { prefix: 'dramlink_t', template: await migratedTemplate() });
  created.add(scratch.name);
  return {
    ...scratch,
    drop: async () => {
      created.delete(scratch.name);
      await scratch.drop();
    },
  };
}

/**
 * A fresh, migrated store of this kind: SQLite in memory (or at `path`), or a new PostgreSQL
 * database that is dropped when the store closes.
 */
export async function openTestStore(kind: StoreKind, opts: { path?: string; postgres?: PostgresStoreOptions } = {}): Promise<Store> {
  if (kind === 'sqlite') return openSqliteStore(opts.path ?? ':memory:');
  const scratch = await scratchPostgres();
  const store = await openPostgresStore(scratch.url, { poolSize: 5, ...opts.postgres });
  return withDrop(store, scratch);
}

/** A store on an existing scratch database (a second "instance"): closing it leaves the database. */
export function openPostgresAt(url: string, opts: PostgresStoreOptions = {}): Promise<Store> {
  return openPostgresStore(url, { poolSize: 5, ...opts });
}

function withDrop(store: Store, scratch: ScratchDatabase): Store {
  return {
    ...store,
    dialect: store.dialect,
    location: store.location,
    close: async () => {
      await store.close();
      await scratch.drop();
    },
  };
}

/**
 * The store's query builder outside any transaction, for tests that look at rows: awaiting a
 * built query runs it on either store (`await db.select().from(db.t.payments)` gives the rows).
 */
export function txOf(store: Store): Promise<Tx> {
  return store.run((tx) => done(tx));
}

/**
 * `describe` once per store kind; the suite's title says which. PostgreSQL suites are left out
 * (with the message above) only when no server answers outside CI.
 */
export function describeStores(title: string, suite: (kind: StoreKind) => void): void {
  for (const kind of ['sqlite', 'postgres'] as const) {
    if (STORE_KINDS.includes(kind)) describe(`${title} [${kind}]`, () => suite(kind));
    else describe.skip(`${title} [${kind}: no PostgreSQL server, see test/support/stores.ts]`, () => suite(kind));
  }
}

/** Drops what this process created (mocha's root hook, test/support/setup.ts). */
export async function dropTestDatabases(): Promise<void> {
  if (!POSTGRES_URL) return;
  const names = [...created];
  created.clear();
  for (const name of names) await dropDatabase(POSTGRES_URL, name).catch(() => undefined);
}

/**
 * `count` stores on one database, as `count` server processes would open it: SQLite connections to
 * one temporary file, or PostgreSQL pools on one fresh database.
 */
export async function openSharedStores(kind: StoreKind, count: number): Promise<{ stores: Store[]; close(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'dramlink-shared-'));
    const stores = Array.from({ length: count }, () => openSqliteStore(join(dir, 'shared.db')));
    return {
      stores,
      close: async () => {
        for (const s of stores) await s.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const scratch = await scratchPostgres();
  const stores = await Promise.all(Array.from({ length: count }, () => openPostgresAt(scratch.url)));
  return {
    stores,
    close: async () => {
      for (const s of stores) await s.close();
      await scratch.drop();
    },
  };
}
