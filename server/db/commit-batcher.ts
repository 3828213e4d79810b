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

export function createCommitBatcher(db: Db, opts: { maxBatch?: number } = {}): CommitBatcher {
  const maxBatch = opts.maxBatch ?? 256;
  const queue: Job[] = [];
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    const jobs = queue.splice(0, maxBatch);
    if (queue.length) schedule();
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      db.transaction(
        (tx) => {
          for (const job of jobs) {
            try {
              // A nested transaction is a savepoint: an error undoes this job only.
              outcomes.push({ ok: true, value: tx.transaction(() => job.work()) });
            } catch (err) {
              outcomes.push({ ok: false, value: err });
            }
          }
        },
        { behavior: 'immediate' },
      );
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
