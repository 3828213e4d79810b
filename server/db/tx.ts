import type { RunResult } from 'better-sqlite3';
import type { SQL } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema.ts';
import type { CommitSignal } from './commit-signals.ts';
import type { Step } from './step.ts';

export type Tables = typeof schema;
export type Dialect = 'sqlite' | 'postgres';

/**
 * drizzle's query builder, typed as SQLite's. The PostgreSQL builder takes the same calls with the
 * twin tables of `tx.t` (schema-pg.ts, whose row types are those of schema.ts), so one query
 * serves both stores; only its execution differs (see Tx).
 */
export type QueryBuilder = Pick<
  BaseSQLiteDatabase<'sync', RunResult, Tables>,
  'select' | 'selectDistinct' | 'insert' | 'update' | 'delete'
>;

type Params = Record<string, unknown>;
/** A built query or a prepared statement that returns rows. */
export interface RowsQuery<R> {
  all(params?: Params): R[];
}
export interface RowQuery<R> {
  get(params?: Params): R | undefined;
}
export interface WriteQuery {
  run(params?: Params): unknown;
}

/**
 * What a ledger, outbox or store function runs its statements on: a transaction, or the store
 * outside one (each statement its own). Build a query with the builder methods and the tables of
 * `t`, then run it inside a step (step.ts): `const row = yield* tx.get(tx.select().from(tx.t.payments)…)`.
 */
export interface Tx extends QueryBuilder {
  readonly dialect: Dialect;
  /** This store's tables (SQLite's or PostgreSQL's twins). */
  readonly t: Tables;
  /** Rows of a query. */
  all<R>(query: RowsQuery<R>, params?: Params): Step<R[]>;
  /** The first row of a query (or the row an INSERT … RETURNING wrote), or undefined. */
  get<R>(query: RowQuery<R>, params?: Params): Step<R | undefined>;
  /** Runs a write; the number of rows it changed. */
  run(query: WriteQuery, params?: Params): Step<number>;
  /** Rows of raw SQL (integers and sums read as numbers in both stores). */
  rows<R>(query: SQL): Step<R[]>;
  /** Raw SQL that returns no rows (DDL, a bulk UPDATE); the number of rows it changed. */
  exec(query: SQL): Step<number>;
  /**
   * A statement built once with placeholders (`sql.placeholder`) and kept compiled, for the hot
   * paths. SQLite keeps it per connection; PostgreSQL builds it once per process and runs it as a
   * named statement on the transaction's connection (pg-statements.ts). `name` must stand for one
   * statement text: the first build is the one kept.
   */
  prepared<P>(name: string, build: () => P): P;
  /** PostgreSQL: the selected rows locked until commit (`FOR UPDATE`). SQLite: as is (the IMMEDIATE transaction already holds the write lock). */
  forUpdate<S>(select: S): S;
  /** PostgreSQL: `FOR UPDATE SKIP LOCKED`, rows another transaction holds are passed over. SQLite: as is. */
  skipLocked<S>(select: S): S;
  /** PostgreSQL: one transaction at a time per key until commit (a transaction-level advisory lock). SQLite: nothing (one writer anyway). */
  serialize(key: string): Step<void>;
  /**
   * Raises a signal for when this write is durable (commit-signals.ts): delivered to the store's
   * commit listeners once the transaction commits, dropped if it (or the step's savepoint) rolls
   * back; outside a transaction, at once.
   */
  afterCommit(signal: CommitSignal): void;
  /** The larger / smaller of two values (SQLite's scalar max/min, PostgreSQL's greatest/least). */
  greatest(a: SQL | unknown, b: SQL | unknown): SQL;
  least(a: SQL | unknown, b: SQL | unknown): SQL;
}
