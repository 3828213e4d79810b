import { sql } from 'drizzle-orm';
import type { RunResult } from 'better-sqlite3';
import { createCommitBatcher } from './commit-batcher.ts';
import { signalOnCommit, subscribeCommits } from './commit-signals.ts';
import { isDatabaseReady, openDatabase, type DatabaseHandle, type Db } from './database.ts';
import * as schema from './schema.ts';
import { hotStatement } from './sqlite-statement.ts';
import { done, runSync, type Step } from './step.ts';
import type { Store } from './store.ts';
import type { Tx } from './tx.ts';

/**
 * The SQLite store: one better-sqlite3 connection, so one Tx serves every step, inside or outside
 * a transaction. Every statement answers at once: steps run synchronously (runSync).
 */
/** The transaction being run, told of every statement that failed (even one its step caught). */
interface StatementWatch {
  current?: { failure?: { err: unknown } };
}

export function sqliteTx(db: Db, watch: StatementWatch = {}): Tx {
  // The one statement cache: drizzle builds a query's SQL and SQLite compiles it on every call; on the
  // notification path that cost more than SQLite's own work. Hot queries are compiled once per connection.
  const statements = new Map<string, unknown>();
  const watched = <T>(statement: () => T): Step<T> => {
    try {
      return done(statement());
    } catch (err) {
      if (watch.current) watch.current.failure ??= { err };
      throw err;
    }
  };
  return {
    dialect: 'sqlite',
    t: schema,
    select: db.select.bind(db),
    selectDistinct: db.selectDistinct.bind(db),
    insert: db.insert.bind(db),
    update: db.update.bind(db),
    delete: db.delete.bind(db),
    all: (query, params) => watched(() => query.all(params)),
    get: (query, params) => watched(() => query.get(params)),
    run: (query, params) => watched(() => (query.run(params) as RunResult).changes),
    rows: <R>(query: Parameters<Db['all']>[0]) => watched(() => db.all<R>(query)),
    exec: (query) => watched(() => db.run(query).changes),
    prepared<P>(name: string, build: () => P): P {
      let statement = statements.get(name) as P | undefined;
      if (statement === undefined) {
        const built = build();
        // Run straight on better-sqlite3 when its shape allows (sqlite-statement.ts); the same SQL either way.
        statements.set(name, (statement = (hotStatement(built) as P | undefined) ?? built));
      }
      return statement;
    },
    forUpdate: (select) => select,
    skipLocked: (select) => select,
    serialize: () => done(undefined),
    afterCommit: (signal) => signalOnCommit(db, signal),
    greatest: (a, b) => sql`max(${a}, ${b})`,
    least: (a, b) => sql`min(${a}, ${b})`,
  };
}

function settled<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (err) {
    return Promise.reject(err);
  }
}

/** The SQLite store over an opened file (or `:memory:`). */
export function createSqliteStore(handle: DatabaseHandle): Store {
  const watch: StatementWatch = {};
  const tx = sqliteTx(handle.db, watch);
  const client = handle.db.$client;
  // better-sqlite3's own transaction function keeps BEGIN IMMEDIATE / COMMIT compiled.
  const immediate = client.transaction((run: () => unknown) => run());
  // A statement that failed fails its transaction even when the step caught it: PostgreSQL would
  // answer that COMMIT with a silent ROLLBACK, so both stores refuse it the same way.
  const watchedRun = <T>(work: (tx: Tx) => Step<T>): T => {
    const current: NonNullable<StatementWatch['current']> = {};
    watch.current = current;
    try {
      const value = runSync(work(tx));
      if (current.failure) throw current.failure.err;
      return value;
    } finally {
      watch.current = undefined;
    }
  };
  const inTransaction = <T>(work: (tx: Tx) => Step<T>): T =>
    // A step run from inside the group commit's transaction joins it (its savepoint) instead of nesting another.
    client.inTransaction ? runSync(work(tx)) : (immediate.immediate(() => watchedRun(work)) as T);
  const batcher = createCommitBatcher(handle.db);
  return {
    dialect: 'sqlite',
    location: handle.path,
    sqlite: handle,
    run: (work) => settled(() => runSync(work(tx))),
    transaction: (work) => settled(() => inTransaction(work)),
    // Watched like a transaction: a piece whose statement failed (even caught) is refused, as on PostgreSQL.
    ingest: (work) => batcher.run(() => watchedRun(work)),
    subscribeCommits: (listener) => subscribeCommits(client, listener),
    ready: () => Promise.resolve(isDatabaseReady(handle)),
    close: () =>
      settled(() => {
        batcher.close();
        handle.close();
      }),
  };
}

/** Opens (creating and migrating) a SQLite file, or an in-memory database for ':memory:'. */
export function openSqliteStore(path: string): Store {
  return createSqliteStore(openDatabase(path));
}
