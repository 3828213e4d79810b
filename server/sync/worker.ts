import type { AmocrmServices } from '../amocrm/index.ts';
import { AmocrmError, describeValidationErrors } from '../amocrm/errors.ts';
import { fieldIdsComplete } from '../amocrm/lead-fields.ts';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/database.ts';
import type { Logger } from '../logging/logger.ts';
import type { BackgroundTask } from '../platform/background-task.ts';
import type { Clock } from '../platform/clock.ts';
import { loadAccountContext } from './account-context.ts';
import { chunk, sendSplitting } from './batch-split.ts';
import {
  accountsWithDueJobs,
  claimJobs,
  markDead,
  markDone,
  markFailed,
  rearmFailing,
  releaseJobs,
  SYNC_BACKOFF_MS,
  SYNC_FAILING_RETRY_MS,
  SYNC_MAX_ATTEMPTS,
  type ClaimedJob,
} from './job-store.ts';
import { leadUpdateWriter } from './lead-writer.ts';
import { noteWriter } from './note-writer.ts';
import { taskWriter } from './task-writer.ts';
import type { JobWriter, WriterContext } from './writers.ts';

/** How often, at most, a recovered account's failing jobs are brought forward. */
const REARM_EVERY_MS = 5 * 60_000;

export interface SyncWorkerOptions {
  /** Pause between passes of the background loop (default 1 s). */
  intervalMs?: number;
  /** How long a claim holds; a job claimed by a worker that died is taken again after it (default 5 min). */
  claimMs?: number;
  /** Failed tries before a job is `failing` and an exception is opened (default 8). */
  maxAttempts?: number;
  /** Back-off after failure n (default 1, 2, 4, 8, 15, 15, 15 minutes). */
  backoffMs?: readonly number[];
  /** Retry interval once failing (default 30 min). */
  failingRetryMs?: number;
  /** Items per amoCRM write (default AMOCRM_BATCH_SIZE). */
  batchSize?: number;
  /** Batches claimed per round for one account and kind; the rate budget paces them (default 20). */
  batchesPerRound?: number;
  /** Accounts drained at the same time (each has its own budget; default 4). */
  accountConcurrency?: number;
}

export interface SyncPassResult {
  accounts: number;
  done: number;
  failed: number;
  dead: number;
  released: number;
}

export interface SyncWorker extends BackgroundTask {
  /** One drain pass over every due job of every callable account; resolves when it is finished. */
  runOnce(): Promise<SyncPassResult>;
}

export interface SyncWorkerDeps {
  config: Config;
  db: Db;
  clock: Clock;
  logger: Logger;
  amocrm: Pick<AmocrmServices, 'client' | 'ensureLeadFields'>;
  options?: SyncWorkerOptions;
}

const isRejection = (err: unknown) => err instanceof AmocrmError && err.code === 'amocrm_validation_failed';

function describe(err: unknown): string {
  if (err instanceof AmocrmError) {
    const v = describeValidationErrors(err.validationErrors);
    return `${err.code}: ${err.message}${v ? ` [${v}]` : ''}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * Flow 6: drains the outbox per account. Lead updates (already coalesced to one job per lead) go
 * as batched PATCH items carrying the state read at send time; notes and exception tasks as
 * batched POSTs written once each. A 400 on a batch is split down to the bad item (dead letter);
 * other failures back off and, after `maxAttempts`, the job is `failing` with an exception. An
 * account that cannot be called (blocked, needs reconnect, disconnected) is left alone, its jobs kept.
 */
export function createSyncWorker(deps: SyncWorkerDeps): SyncWorker {
  const { db, clock, logger, config } = deps;
  const o = deps.options ?? {};
  const intervalMs = o.intervalMs ?? 1000;
  const claimMs = o.claimMs ?? 5 * 60_000;
  const maxAttempts = o.maxAttempts ?? SYNC_MAX_ATTEMPTS;
  const backoffMs = o.backoffMs ?? SYNC_BACKOFF_MS;
  const failingRetryMs = o.failingRetryMs ?? SYNC_FAILING_RETRY_MS;
  const batchSize = Math.max(1, o.batchSize ?? config.amocrm.batchSize);
  const batchesPerRound = Math.max(1, o.batchesPerRound ?? 20);
  const accountConcurrency = Math.max(1, o.accountConcurrency ?? 4);
  const writers: JobWriter[] = [leadUpdateWriter(db), noteWriter(), taskWriter()] as JobWriter[];

  const lastRearm = new Map<number, number>();
  const drainAccount = async (accountId: number, result: SyncPassResult): Promise<void> => {
    let account = loadAccountContext(db, accountId);
    if (!account) return;
    if (!fieldIdsComplete(account.fieldIds)) {
      try {
        await deps.amocrm.ensureLeadFields(accountId);
        account = loadAccountContext(db, accountId)!;
      } catch (err) {
        if (err instanceof AmocrmError && err.accountLevel) return;
        // Lead updates can still go by field code; the select falls back to its value text.
        logger.warn('sync: the dramlink lead fields are not ready', { accountId, error: describe(err) });
      }
    }
    let stop: AmocrmError | undefined;
    let healthy = false;

    const settleFailure = (writer: JobWriter, jobs: ClaimedJob[], err: unknown) => {
      const now = clock.now();
      if (err instanceof AmocrmError && err.accountLevel) {
        stop ??= err;
        // Not counted against the jobs; looked at again after the block, or in a minute.
        releaseJobs(db, jobs, {
          now,
          notBefore: err.blockedUntil ?? now + 60_000,
          payload: err.ambiguous ? writer.markForVerify : undefined,
        });
        result.released += jobs.length;
        return;
      }
      const ambiguous = err instanceof AmocrmError ? err.ambiguous : true;
      const { failing } = markFailed(db, jobs, {
        now,
        error: describe(err),
        maxAttempts,
        backoffMs,
        failingRetryMs,
        payload: ambiguous ? writer.markForVerify : undefined,
      });
      result.failed += jobs.length;
      if (failing > 0)
        logger.error('sync: jobs are failing after repeated errors', { accountId, kind: writer.kind, failing, error: describe(err) });
      else logger.warn('sync: write failed, backing off', { accountId, kind: writer.kind, jobs: jobs.length, error: describe(err) });
    };

    for (const writer of writers) {
      while (!stop) {
        const jobs = claimJobs(db, { accountId, kind: writer.kind, limit: batchSize * batchesPerRound, now: clock.now(), claimMs });
        if (jobs.length === 0) break;
        const ctx: WriterContext = { account, client: deps.amocrm.client, publicUrl: config.publicUrl, now: clock.now() };
        let prepared;
        try {
          prepared = await writer.prepare(ctx, jobs);
        } catch (err) {
          settleFailure(writer, jobs, err);
          continue;
        }
        markDone(db, prepared.done, clock.now());
        result.done += prepared.done.length;
        await Promise.all(
          chunk(prepared.send, batchSize).map(async (batch) => {
            if (stop) {
              releaseJobs(db, batch, { now: clock.now() });
              result.released += batch.length;
              return;
            }
            const outcomes = await sendSplitting(
              batch,
              (part) =>
                writer.send(
                  ctx,
                  part.map((job, i) => writer.item(ctx, job, i)),
                ),
              isRejection,
            );
            for (const outcome of outcomes) {
              if (outcome.ok) {
                markDone(db, outcome.jobs, clock.now(), writer.donePayload);
                result.done += outcome.jobs.length;
                healthy = true;
              } else if (outcome.rejected) {
                const job = outcome.jobs[0];
                markDead(db, job, { now: clock.now(), error: describe(outcome.error) });
                result.dead++;
                logger.error('sync: amoCRM rejected an item; it is a dead letter', {
                  accountId,
                  kind: writer.kind,
                  leadId: job.row.leadId,
                  jobId: job.row.id,
                  error: describe(outcome.error),
                });
              } else {
                settleFailure(writer, outcome.jobs, outcome.error);
              }
            }
          }),
        );
      }
    }
    if (stop) logger.warn('sync: account paused', { accountId, reason: stop.code, until: stop.blockedUntil });
    // At most every few minutes, so one job amoCRM keeps refusing is not retried on every pass.
    const now = clock.now();
    if (healthy && !stop && now - (lastRearm.get(accountId) ?? -Infinity) >= REARM_EVERY_MS) {
      lastRearm.set(accountId, now);
      const n = rearmFailing(db, accountId, now);
      if (n > 0) logger.info('sync: amoCRM takes writes again; failing jobs retried now', { accountId, jobs: n });
    }
  };

  const pass = async (): Promise<SyncPassResult> => {
    const result: SyncPassResult = { accounts: 0, done: 0, failed: 0, dead: 0, released: 0 };
    const due = accountsWithDueJobs(db, clock.now());
    result.accounts = due.length;
    const queue = [...due];
    const lanes = Array.from({ length: Math.min(accountConcurrency, queue.length) }, async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        try {
          await drainAccount(id, result);
        } catch (err) {
          logger.error('sync: draining an account failed', { accountId: id, error: err });
        }
      }
    });
    await Promise.all(lanes);
    return result;
  };

  // Passes never overlap: runOnce during the loop waits for the running pass and then runs its own.
  let chain: Promise<unknown> = Promise.resolve();
  const runOnce = (): Promise<SyncPassResult> => {
    const next = chain.then(pass);
    chain = next.catch(() => undefined);
    return next;
  };

  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  return {
    name: 'sync-worker',
    runOnce,
    start() {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          try {
            await runOnce();
          } catch (err) {
            logger.error('sync: pass failed', { error: err });
          }
          if (!running) break;
          await new Promise<void>((resolve) => {
            wake = resolve;
            timer = setTimeout(resolve, intervalMs);
          });
        }
      })();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      wake?.();
      await loop;
      await chain;
    },
  };
}
