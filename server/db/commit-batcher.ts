import type { Db } from './database.ts';

/**
 * Group commit: work submitted in the same event-loop turn runs in ONE SQLite transaction, each
 * piece in its own savepoint (one failing piece rolls back only itself), and every promise
 * resolves only after that transaction has committed. With synchronous=FULL a commit costs an
 * fsync; under load many notifications share one, and each is still acknowledged only once durable.
 */
export interface CommitBatcher {
  run<T>(work: () => T): Promise<T>;
}

interface Job {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: boolean; value: unknown };

export function createCommitBatcher(db: Db, opts: { maxBatch?: number } = {}): CommitBatcher {
  const maxBatch = opts.maxBatch ?? 256;
  const queue: Job[] = [];
  let scheduled = false;
  // better-sqlite3's own transaction functions: called inside a transaction they use a savepoint,
  // and they keep their BEGIN/SAVEPOINT/RELEASE statements compiled, so a job costs no SQL parsing.
  const inSavepoint = db.$client.transaction((job: Job) => job.work());
  const batch = db.$client.transaction((jobs: Job[]): Outcome[] =>
    jobs.map((job) => {
      try {
        return { ok: true, value: inSavepoint(job) };
      } catch (err) {
        // The savepoint is rolled back: an error undoes this job only.
        return { ok: false, value: err };
      }
    }),
  );

  function flush(): void {
    scheduled = false;
    const jobs = queue.splice(0, maxBatch);
    if (queue.length) schedule();
    let outcomes: Outcome[];
    try {
      outcomes = batch.immediate(jobs);
    } catch (err) {
      // The commit itself failed: nothing of this batch is durable.
      for (const job of jobs) job.reject(err);
      return;
    }
    jobs.forEach((job, i) => (outcomes[i].ok ? job.resolve(outcomes[i].value) : job.reject(outcomes[i].value)));
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
  };
}
