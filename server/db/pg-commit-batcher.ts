import { sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { runAsync, type Step } from './step.ts';
import type { CommitSignal } from './commit-signals.ts';
import type { Tx } from './tx.ts';

/** At most this many notifications share one transaction (and one WAL flush). */
const MAX_BATCH = 64;
/** Batches being written at once (each holds one pooled connection); later work waits and joins the next. */
const MAX_WRITING = 6;

type Item = {
  work: (tx: Tx) => Step<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
};

export interface PgBatcherDeps {
  /** drizzle on the pool (its `transaction` takes one connection for the whole batch). */
  db: NodePgDatabase<Record<string, unknown>>;
  /** A Tx on the batch's transaction for one step, collecting that step's commit signals; `onError` hears every failed statement. */
  txOf(tx: unknown, signals: CommitSignal[], onError?: (err: unknown) => void): Tx;
  /** Hands the committed steps' signals to the store's listeners. */
  deliver(signals: CommitSignal[]): void;
  /** A step on its own transaction (with the store's retries): for an item whose savepoint hit a deadlock. */
  alone<T>(work: (tx: Tx) => Step<T>): Promise<T>;
  /** Deadlock, serialization failure: run again rather than fail. */
  retriable(err: unknown): boolean;
}

type Outcome = { ok: true; value: unknown; signals: CommitSignal[] } | { ok: false; err: unknown };

/** Thrown out of a batch's transaction to roll it back: one of its steps failed without a savepoint. */
class StepFailed extends Error {}

/** `'E'` once a statement failed: PostgreSQL would answer COMMIT with a silent ROLLBACK. */
const failedTransaction = (raw: unknown): boolean =>
  (raw as { session?: { client?: { getTransactionStatus?(): string | null } } }).session?.client?.getTransactionStatus?.() === 'E';

/** A step with no savepoint of its own: a failure rolls back the whole batch (StepFailed). */
async function withoutSavepoint(deps: PgBatcherDeps, raw: unknown, item: Item): Promise<Outcome> {
  const signals: CommitSignal[] = [];
  // A statement that failed leaves the transaction failed even if the step caught the error: its
  // ReadyForQuery may not have been read yet, so the failure is counted here, not only asked of the connection.
  let statementFailed = false;
  try {
    const value = await runAsync(item.work(deps.txOf(raw, signals, () => (statementFailed = true))));
    if (!statementFailed && !failedTransaction(raw)) return { ok: true, value, signals };
  } catch {
    // rolled back below, with every step of the batch; they run again with savepoints
  }
  throw new StepFailed();
}

/** A step in its own savepoint: a failure rolls back its writes alone. */
async function inSavepoint(deps: PgBatcherDeps, raw: NodePgDatabase<Record<string, unknown>>, item: Item): Promise<Outcome> {
  await raw.execute(sql`SAVEPOINT ingest_item`);
  const signals: CommitSignal[] = [];
  try {
    const value = await runAsync(item.work(deps.txOf(raw, signals)));
    await raw.execute(sql`RELEASE SAVEPOINT ingest_item`);
    return { ok: true, value, signals };
  } catch (err) {
    await raw.execute(sql`ROLLBACK TO SAVEPOINT ingest_item`);
    return { ok: false, err };
  }
}

/**
 * Group commit on PostgreSQL (docs/architecture.md, The stores): the ingest steps submitted in one
 * event-loop turn, or while the previous batches were being written, share one transaction and are
 * all answered after the one COMMIT: one WAL flush (fsync) for up to 64 notifications instead of
 * one each. The steps run first one after another with no savepoint (two round trips fewer each);
 * if one throws, or leaves the transaction failed (a swallowed database error), the whole
 * transaction rolls back and the batch runs again with a savepoint per step, so a step that throws
 * rolls back to its savepoint only and rejects alone; a step that meets a deadlock there runs
 * again in a transaction of its own. Nothing resolves before COMMIT returns, so a notification is
 * acknowledged only once it is durable; a failed COMMIT rejects the whole batch (the providers
 * deliver again).
 */
export function createPgCommitBatcher(deps: PgBatcherDeps): { run<T>(work: (tx: Tx) => Step<T>): Promise<T> } {
  let queue: Item[] = [];
  let scheduled = false;
  let writing = 0;

  async function inOneTransaction(items: Item[], savepoints: boolean): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    await deps.db.transaction(async (raw) => {
      outcomes.length = 0;
      for (const item of items) outcomes.push(savepoints ? await inSavepoint(deps, raw, item) : await withoutSavepoint(deps, raw, item));
    });
    return outcomes;
  }

  async function writeBatch(items: Item[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await inOneTransaction(items, false).catch((err: unknown) => {
        if (err instanceof StepFailed) return inOneTransaction(items, true);
        throw err;
      });
    } catch (err) {
      for (const item of items) item.reject(err);
      return;
    }
    // Committed: the signals of the steps that kept their savepoint, then the answers.
    deps.deliver(outcomes.flatMap((o) => (o.ok ? o.signals : [])));
    items.forEach((item, i) => {
      const o = outcomes[i];
      if (o.ok) item.resolve(o.value);
      else if (deps.retriable(o.err)) deps.alone(item.work).then(item.resolve, item.reject);
      else item.reject(o.err);
    });
  }

  function flush(): void {
    scheduled = false;
    while (queue.length > 0 && writing < MAX_WRITING) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(MAX_BATCH);
      writing++;
      void writeBatch(batch).finally(() => {
        writing--;
        flush();
      });
    }
  }

  return {
    run<T>(work: (tx: Tx) => Step<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
  };
}
