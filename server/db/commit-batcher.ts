import type { Db } from './database.ts';
import { createWalSync, type FlushFile } from './wal-sync.ts';

/**
 * Group commit: work submitted in the same event-loop turn runs in ONE SQLite transaction, each
 * piece in its own savepoint (one failing piece rolls back only itself), and every promise
 * resolves only after that transaction is durable. The commit's flush to disk is made off the
 * event loop (wal-sync.ts): the process keeps serving requests while the disk flushes, and
 * batches committed meanwhile share the next flush. Under load many notifications share one
 * transaction and one flush, and each is still acknowledged only once durable.
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

export function createCommitBatcher(db: Db, opts: { maxBatch?: number; flushFile?: FlushFile } = {}): CommitBatcher {
  const maxBatch = opts.maxBatch ?? 256;
  const queue: Job[] = [];
  let scheduled = false;
  const client = db.$client;
  // better-sqlite3's own transaction functions: called inside a transaction they use a savepoint,
  // and they keep their BEGIN/SAVEPOINT/RELEASE statements compiled, so a job costs no SQL parsing.
  const inSavepoint = client.transaction((job: Job) => job.work());
  const batch = client.transaction((jobs: Job[]): Outcome[] =>
    jobs.map((job) => {
      try {
        return { ok: true, value: inSavepoint(job) };
      } catch (err) {
        // The savepoint is rolled back: an error undoes this job only.
        return { ok: false, value: err };
      }
    }),
  );
  const walSync = createWalSync(client, opts.flushFile);
  // The batch's COMMIT writes the WAL without flushing it (NORMAL) and walSync flushes it, when the
  // connection asks for a flush at every commit (FULL, EXTRA); every other transaction keeps the
  // connection's own setting. A connection set to OFF or NORMAL (seeding) commits as it is, unflushed.
  // SQLite applies `PRAGMA synchronous = n` when the statement is compiled (running a kept one does
  // nothing), so these three are compiled per batch: about 7 µs, against a flush of 0.2 ms or more.
  const NORMAL = 1;

  /** The batch's outcomes, and whether its COMMIT still needs walSync's flush. */
  function commit(jobs: Job[]): { outcomes: Outcome[]; unflushed: boolean } {
    const previous = walSync ? (client.pragma('synchronous', { simple: true }) as number) : NORMAL;
    if (previous <= NORMAL) return { outcomes: batch.immediate(jobs), unflushed: false };
    client.pragma(`synchronous = ${NORMAL}`);
    try {
      return { outcomes: batch.immediate(jobs), unflushed: true };
    } finally {
      client.pragma(`synchronous = ${previous}`);
    }
  }

  function flush(): void {
    scheduled = false;
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
