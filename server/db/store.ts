import type { Step } from './step.ts';
import type { Dialect, Tx } from './tx.ts';
import type { DatabaseHandle } from './database.ts';
import type { CommitListener } from './commit-signals.ts';

/**
 * The database the server runs on (docs/architecture.md, The stores): SQLite, one file on one
 * machine (the default), or PostgreSQL shared by several server instances. The code above speaks
 * only to this seam; both stores run the same steps (step.ts) with the same behaviour, checked by
 * one conformance suite (test/server/store/).
 */
export interface Store {
  readonly dialect: Dialect;
  /** For logs: the SQLite file, or PostgreSQL's host and database (never the password). */
  readonly location: string;
  /** Runs a step outside any transaction: each statement is its own (reads, single-statement writes). */
  run<T>(work: (tx: Tx) => Step<T>): Promise<T>;
  /**
   * Runs a step in one transaction: all of it commits, or none. SQLite: IMMEDIATE, run
   * synchronously from start to end (no `await` inside). PostgreSQL: one connection, READ
   * COMMITTED, rows locked as the step asks (`forUpdate`, `skipLocked`, `serialize`); a deadlock or
   * serialization failure runs the step again from the start.
   */
  transaction<T>(work: (tx: Tx) => Step<T>): Promise<T>;
  /**
   * A transaction for durable ingest (a provider's notification), resolved only once committed
   * and on disk. SQLite: group commit, work submitted in the same event-loop turn (or while the
   * previous batch's flush runs) shares one transaction and one flush (commit-batcher.ts).
   * PostgreSQL: the same on one pooled connection, up to 64 steps per transaction and one WAL flush
   * (pg-commit-batcher.ts). On both the steps run first without savepoints and, if one fails, again
   * each in its own: a step may run twice, so it only reads and writes.
   */
  ingest<T>(work: (tx: Tx) => Step<T>): Promise<T>;
  /** Called with the signals of every committed transaction of this store (in this process); returns what unsubscribes. */
  subscribeCommits(listener: CommitListener): () => void;
  /**
   * PostgreSQL only: messages between the instances sharing the database (LISTEN/NOTIFY), e.g. the
   * sync wake-up. A message sent is delivered to every listener of the channel, this process's included.
   */
  readonly broadcast?: Broadcast;
  /** The database answers and every committed migration has been applied (/readyz). */
  ready(): Promise<boolean>;
  close(): Promise<void>;
  /** The SQLite file's handle (SQLite only): local mode and the operator tools that work on the file. */
  readonly sqlite?: DatabaseHandle;
}

/** True for a PostgreSQL connection URL (postgres:// or postgresql://). */
export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//i.test(databaseUrl);
}

/** Messages to every instance on the database: PostgreSQL's NOTIFY to the sessions that LISTEN. */
export interface Broadcast {
  notify(channel: string, payload: string): Promise<void>;
  /** Listens on a dedicated connection (reconnected when it drops); returns what stops listening. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
}
