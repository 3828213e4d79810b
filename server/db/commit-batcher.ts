import type { Db } from './database.ts';
import { createWalSync, type FlushFile, type WalSync } from './wal-sync.ts';

/**
 * Group commit: work submitted in the same event-loop turn runs in ONE SQLite transaction, and
 * every promise resolves only after that transaction is durable. The pieces run first one after
 * another with no savepoint: a savepoint makes SQLite copy every page a piece first changes into
 * its sub-journal (about 20 pages, 80 KB, for a notification, written to a temporary file), which
 * cost more than the piece's own statements. If one piece throws, the whole transaction rolls back
 * and the batch runs again with a savepoint per piece, so the failing piece rolls back only itself
 * and the others commit (as PostgreSQL's group commit does, pg-commit-batcher.ts): the pieces are
 * steps, which may run more than once. The commit's flush to disk is made off the event loop
 * (wal-sync.ts): the process keeps serving requests while the disk flushes, and batches committed
 * meanwhile share the next flush. Under load many notifications share one transaction and one
 * flush, and each is still acknowledged only once durable.
 */
export interface CommitBatcher {
  run<T>(work: () => T): Promise<T>;
  /** Releases the WAL's descriptor (the store's close). */
  close(): void;
}

interface Job {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: boolean; value: unknown };

/** Thrown out of a batch's first pass to roll it back: one of its pieces failed without a savepoint. */
class PieceFailed extends Error {}

/**
 * The batch's transaction: its pieces without savepoints, and if one throws, again with a
 * savepoint each. better-sqlite3's own transaction functions keep their BEGIN/SAVEPOINT/RELEASE
 * statements compiled (called inside a transaction they use a savepoint), so a piece costs no SQL parsing.
 */
function groupTransaction(client: Db['$client']): (jobs: Job[]) => Outcome[] {
  const inSavepoint = client.transaction((job: Job) => job.work());
  const withSavepoints = client.transaction((jobs: Job[]): Outcome[] =>
    jobs.map((job) => {
      try {
        return { ok: true, value: inSavepoint(job) };
      } catch (err) {
        // The savepoint is rolled back: an error undoes this job only.
        return { ok: false, value: err };
      }
    }),
  );
  const withoutSavepoints = client.transaction((jobs: Job[]): Outcome[] =>
    jobs.map((job) => {
      try {
        return { ok: true, value: job.work() };
      } catch {
        // Rolled back with the whole batch; it runs again with savepoints.
        throw new PieceFailed();
      }
    }),
  );
  return (jobs) => {
    try {
      return withoutSavepoints.immediate(jobs);
    } catch (err) {
      if (err instanceof PieceFailed) return withSavepoints.immediate(jobs);
      throw err;
    }
  };
}

const NORMAL = 1;

/**
 * Runs the batch so that its COMMIT writes the WAL without flushing it (NORMAL) when the connection
 * asks for a flush at every commit (FULL, EXTRA): walSync flushes it then (`unflushed`). Every other
 * transaction keeps the connection's own setting; a connection set to OFF or NORMAL (seeding)
 * commits as it is, unflushed. SQLite applies `PRAGMA synchronous = n` when the statement is
 * compiled (running a kept one does nothing), so these are compiled per batch: about 7 µs, against
 * a flush of 0.2 ms or more.
 */
function commitUnflushed(client: Db['$client'], batch: (jobs: Job[]) => Outcome[], walSync: WalSync | undefined) {
  return (jobs: Job[]): { outcomes: Outcome[]; unflushed: boolean } => {
    const previous = walSync ? (client.pragma('synchronous', { simple: true }) as number) : NORMAL;
    if (previous <= NORMAL) return { outcomes: batch(jobs), unflushed: false };
    client.pragma(`synchronous = ${NORMAL}`);
    try {
      return { outcomes: batch(jobs), unflushed: true };
    } finally {
      client.pragma(`synchronous = ${previous}`);
    }
  };
}

export function createCommitBatcher(db: Db, opts: { maxBatch?: number; flushFile?: FlushFile } = {}): CommitBatcher {
  const maxBatch = opts.maxBatch ?? 256;
  const queue: Job[] = [];
  let scheduled = false;
  const client = db.$client;
  const walSync = createWalSync(client, opts.flushFile);
  const commit = commitUnflushed(client, groupTransaction(client), walSync);

  let waitingForDisk = false;
  const afterDisk = () => {
    waitingForDisk = false;
    schedule();
  };

  function flush(): void {
    scheduled = false;
    // While the disk flushes the previous batch, the work that arrives waits and commits together
    // when it is done: it could not be answered before a second flush anyway, and one larger commit
    // writes each shared page (index leaves, the outbox's tail) once instead of once per batch.
    if (waitingForDisk || walSync?.whenIdle(afterDisk)) {
      waitingForDisk = true;
      return;
    }
    const jobs = queue.splice(0, maxBatch);
    if (queue.length) schedule();
    let outcomes: Outcome[];
    let unflushed: boolean;
    try {
      ({ outcomes, unflushed } = commit(jobs));
    } catch (err) {
      // The commit itself failed: nothing of this batch is durable.
      for (const job of jobs) job.reject(err);
      return;
    }
    const settle = () => jobs.forEach((job, i) => (outcomes[i].ok ? job.resolve(outcomes[i].value) : job.reject(outcomes[i].value)));
    if (!unflushed || !walSync) return settle();
    walSync.durable().then(settle, (err: unknown) => {
      // Committed but not known to be on disk: the caller must not acknowledge it (a provider sends it again; dedupe keeps it once).
      for (const job of jobs) job.reject(err);
    });
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  }

  return {
    run<T>(work: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
        schedule();
      });
    },
    close: () => walSync?.close(),
  };
}
