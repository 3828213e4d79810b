import { DrizzleQueryError, sql, type SQL } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schemaPg from './schema-pg.ts';
import { createPgCommitBatcher } from './pg-commit-batcher.ts';
import { deliverSignals, type CommitListener, type CommitSignal } from './commit-signals.ts';
import { createPgBroadcast } from './pg-broadcast.ts';
import { createPgStatementCache, type PgStatementCache } from './pg-statements.ts';
import { runAsync, waitFor, type Step } from './step.ts';
import type { Store } from './store.ts';
import type { Tables, Tx } from './tx.ts';

const MIGRATIONS = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations-pg');

/** Every instance starting at once migrates one after another under this lock (drizzle's migrator is not concurrency-safe). */
export const MIGRATION_LOCK_ID = 7_263_514_001;

/** Deadlock, serialization failure: the transaction is run again from the start, at most this often. */
const RETRIED_CODES = new Set(['40P01', '40001']);
const MAX_TRIES = 5;

type PgDb = NodePgDatabase<typeof schemaPg>;
type Executable = { execute(params?: Record<string, unknown>): Promise<unknown> };

/**
 * BIGINT (epoch milliseconds, minor units, counts) and NUMERIC (sums) read as JavaScript numbers,
 * as SQLite gives them: every value the schema holds stays far below 2^53. Set on node-postgres's
 * parsers for the process, because drizzle passes its own per query and falls back to those.
 */
pg.types.setTypeParser(pg.types.builtins.INT8, Number);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, Number);

/**
 * drizzle wraps a failed statement in an error whose message carries the query and its parameters
 * (a notification's raw body, sealed credentials): the database's own error is thrown instead, with
 * its SQLSTATE code and message, and nothing of the data.
 */
export function databaseError(err: unknown): unknown {
  const cause = (err as { cause?: unknown }).cause;
  return err instanceof DrizzleQueryError && cause instanceof Error ? cause : err;
}

const unwrapped = <T>(p: Promise<T>): Promise<T> =>
  p.catch((err: unknown) => {
    throw databaseError(err);
  });

function rowsOf(result: unknown): unknown[] {
  return Array.isArray(result) ? result : ((result as pg.QueryResult).rows ?? []);
}

function changesOf(result: unknown): number {
  return Array.isArray(result) ? result.length : ((result as pg.QueryResult).rowCount ?? 0);
}

/** A Tx on a PostgreSQL transaction (or on the pool, outside one): each statement is a promise the step waits for. */
/** `signals`: this transaction's, delivered after its commit; `deliver` for a statement outside one (already committed). */
function postgresTx(
  db: PgDb,
  signals: CommitSignal[] | undefined,
  deliver: (signals: CommitSignal[]) => void,
  statements: PgStatementCache,
  onError?: (err: unknown) => void,
): Tx {
  // Every failed statement is told to `onError` (the group commit: a failure the step swallowed still fails the batch).
  const failing = <T>(p: Promise<T>): Promise<T> =>
    unwrapped(p).catch((err: unknown) => {
      onError?.(err);
      throw err;
    });
  const client = (db as unknown as { session: { client: unknown } }).session.client;
  const exec = (query: unknown, params?: Record<string, unknown>) => failing((query as Executable).execute(params));
  const tx = {
    dialect: 'postgres',
    t: schemaPg as unknown as Tables,
    select: db.select.bind(db),
    selectDistinct: db.selectDistinct.bind(db),
    insert: db.insert.bind(db),
    update: db.update.bind(db),
    delete: db.delete.bind(db),
    all: (query: unknown, params?: Record<string, unknown>) => waitFor(exec(query, params).then(rowsOf)),
    get: (query: unknown, params?: Record<string, unknown>) => waitFor(exec(query, params).then((r) => rowsOf(r)[0])),
    run: (query: unknown, params?: Record<string, unknown>) => waitFor(exec(query, params).then(changesOf)),
    rows: (query: SQL) => waitFor(failing(db.execute(query)).then((r) => r.rows)),
    exec: (query: SQL) => waitFor(failing(db.execute(query)).then((r) => r.rowCount ?? 0)),
    // Built once per process (pg-statements.ts), run on this transaction's connection.
    prepared: <P>(name: string, build: () => P) => statements.on(client, name, build),
    forUpdate: <S>(select: S) => (select as unknown as { for(strength: 'update'): S }).for('update'),
    skipLocked: <S>(select: S) =>
      (select as unknown as { for(strength: 'update', config: { skipLocked: boolean }): S }).for('update', { skipLocked: true }),
    serialize: (key: string) =>
      waitFor(failing(db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`)).then(() => undefined)),
    afterCommit: (signal: CommitSignal) => (signals ? signals.push(signal) : deliver([signal])),
    greatest: (a: unknown, b: unknown) => sql`greatest(${a}, ${b})`,
    least: (a: unknown, b: unknown) => sql`least(${a}, ${b})`,
  };
  return tx as unknown as Tx;
}

export interface PostgresStoreOptions {
  /** Connections of this instance (default 10; each instance opens its own pool). */
  poolSize?: number;
  /** Logs an idle connection's error (a restarted server): node-postgres would otherwise crash the process. */
  onIdleError?: (err: Error) => void;
}

/** Applies the committed PostgreSQL migrations, one instance at a time (a session advisory lock). */
export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    }
  } finally {
    client.release();
  }
}

let expectedCount: number | undefined;
function expectedMigrations(): number {
  expectedCount ??= (JSON.parse(readFileSync(resolve(MIGRATIONS, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;
  return expectedCount;
}

/** `host:port/database` of a URL, without user or password. */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    return `postgres://${u.host}${u.pathname}`;
  } catch {
    return 'postgres';
  }
}

const retriable = (err: unknown): boolean => RETRIED_CODES.has((databaseError(err) as { code?: string }).code ?? '');

async function withRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (caught) {
      const err = databaseError(caught);
      if (!retriable(err) || attempt >= MAX_TRIES) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}

/**
 * Opens the PostgreSQL store: a connection pool, the migrations applied under an advisory lock,
 * then steps run on it. Several instances may open the same database at once.
 */
export async function openPostgresStore(url: string, opts: PostgresStoreOptions = {}): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10 });
  pool.on('error', (err) => opts.onIdleError?.(err));
  try {
    await migratePostgres(pool);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  const db: PgDb = drizzle({ client: pool, schema: schemaPg });
  const listeners = new Set<CommitListener>();
  const deliver = (signals: CommitSignal[]) => deliverSignals(listeners, signals);
  const statements = createPgStatementCache();
  const outside = postgresTx(db, undefined, deliver, statements);
  const transaction = async <T>(work: (tx: Tx) => Step<T>): Promise<T> => {
    let signals: CommitSignal[] = [];
    const value = await withRetry(() => {
      signals = []; // a retried transaction starts again: the signals of the try that rolled back are gone
      return db.transaction(async (tx) => {
        // PostgreSQL answers COMMIT with a silent ROLLBACK once any statement failed, even one the
        // step caught: so the first such failure fails the transaction instead of a quiet loss.
        let swallowed: { err: unknown } | undefined;
        const onError = (err: unknown) => void (swallowed ??= { err });
        const value = await runAsync(work(postgresTx(tx as unknown as PgDb, signals, deliver, statements, onError)));
        if (swallowed) throw swallowed.err;
        return value;
      });
    });
    deliver(signals);
    return value;
  };
  const batcher = createPgCommitBatcher({
    db: db as never,
    txOf: (tx, signals, onError) => postgresTx(tx as PgDb, signals, deliver, statements, onError),
    deliver,
    alone: transaction,
    retriable,
  });
  const broadcast = createPgBroadcast(pool, url, opts.onIdleError);
  let closed: Promise<void> | undefined;
  return {
    dialect: 'postgres',
    location: describePostgresUrl(url),
    run: (work) => runAsync(work(outside)),
    transaction,
    ingest: (work) => batcher.run(work),
    async ready() {
      try {
        const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
        return rows[0].n >= expectedMigrations();
      } catch {
        return false;
      }
    },
    subscribeCommits(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    broadcast,
    close: () => (closed ??= broadcast.close().then(() => pool.end())),
  };
}
