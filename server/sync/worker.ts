import type { AccountContexts } from '../accounts/account-context.ts';
import { mayCallAmocrm } from '../accounts/account-standing.ts';
import type { AmocrmServices } from '../amocrm/index.ts';
import type { Config } from '../config/config.ts';
import type { Store } from '../db/store.ts';
import type { Logger } from '../logging/logger.ts';
import { createBackgroundLoop, type BackgroundLoop, type Timer } from '../platform/background-loop.ts';
import type { Clock } from '../platform/clock.ts';
import { drainAccount, type DrainEnv, type SyncPassResult } from './drain-account.ts';
import { accountsWithDueJobs, SYNC_BACKOFF_MS, SYNC_FAILING_RETRY_MS, SYNC_MAX_ATTEMPTS } from './job-store.ts';
import { botContinueWriter } from './bot-continue-writer.ts';
import { invoiceUpdateWriter } from './invoice-writer.ts';
import { leadUpdateWriter } from './lead-writer.ts';
import { noteWriter } from './note-writer.ts';
import type { SyncWake } from './sync-wake.ts';
import { taskWriter } from './task-writer.ts';
import type { JobWriter } from './writers.ts';

export type { SyncPassResult } from './drain-account.ts';

export interface SyncWorkerOptions {
  /** Pause between passes of the background loop (default 1 s): the safety net behind the wake. */
  intervalMs?: number;
  /** From a wake to the pass it asks for (default 25 ms): the group commits of a burst share one pass. */
  wakeDelayMs?: number;
  /** How long a claim holds; a job claimed by a worker that died is taken again after it (default SYNC_CLAIM_SECONDS, 5 min). */
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
  timer?: Timer;
}

/** The sync worker's loop; `runOnce()` is one drain pass over every due job of every callable account. */
export type SyncWorker = BackgroundLoop<SyncPassResult>;

export interface SyncWorkerDeps {
  config: Config;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Reads the accounts to drain, each once per pass, with its bound amoCRM client. */
  accounts: AccountContexts;
  amocrm: Pick<AmocrmServices, 'ensureLeadFields'>;
  /** Committed outbox work wakes the loop at once (sync-wake.ts); without it the worker only polls. */
  wake?: SyncWake;
  options?: SyncWorkerOptions;
}

function drainEnv(deps: SyncWorkerDeps): DrainEnv {
  const o = deps.options ?? {};
  return {
    store: deps.store,
    clock: deps.clock,
    logger: deps.logger,
    publicUrl: deps.config.publicUrl,
    amocrm: deps.amocrm,
    // A bot waits for its answer: first. Invoices after the lead, whose fields they do not touch.
    writers: [
      botContinueWriter(deps.store),
      leadUpdateWriter(deps.store),
      noteWriter(),
      taskWriter(),
      invoiceUpdateWriter(deps.store),
    ] as JobWriter[],
    claimMs: o.claimMs ?? deps.config.amocrm.claimMs,
    maxAttempts: o.maxAttempts ?? SYNC_MAX_ATTEMPTS,
    backoffMs: o.backoffMs ?? SYNC_BACKOFF_MS,
    failingRetryMs: o.failingRetryMs ?? SYNC_FAILING_RETRY_MS,
    batchSize: Math.max(1, o.batchSize ?? deps.config.amocrm.batchSize),
    batchesPerRound: Math.max(1, o.batchesPerRound ?? 20),
    lastRearm: new Map(),
  };
}

/**
 * docs/architecture.md, Flows 6 Sync to amoCRM: drains the outbox per account (drain-account.ts).
 * The accounts with due jobs are read in one query; one that cannot be called now (blocked and
 * cooling down, needs reconnect, disconnected) is left alone, its jobs kept.
 */
export function createSyncWorker(deps: SyncWorkerDeps): SyncWorker {
  const env = drainEnv(deps);
  const concurrency = Math.max(1, deps.options?.accountConcurrency ?? 4);

  const pass = async (): Promise<SyncPassResult> => {
    const result: SyncPassResult = { accounts: 0, done: 0, failed: 0, dead: 0, released: 0 };
    const now = deps.clock.now();
    const queue = (await deps.accounts.loadMany(await accountsWithDueJobs(deps.store, now))).filter((ctx) =>
      mayCallAmocrm(ctx.account, now),
    );
    result.accounts = queue.length;
    const lanes = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let ctx = queue.shift(); ctx !== undefined; ctx = queue.shift()) {
        try {
          await drainAccount(env, ctx, result);
        } catch (err) {
          deps.logger.error('sync: draining an account failed', { accountId: ctx.accountId, error: err });
        }
      }
    });
    await Promise.all(lanes);
    return result;
  };

  const loop = createBackgroundLoop({
    name: 'sync-worker',
    intervalMs: deps.options?.intervalMs ?? 1000,
    wakeDelayMs: deps.options?.wakeDelayMs ?? 25,
    firstPassAfterMs: 0,
    timer: deps.options?.timer,
    logger: deps.logger,
    pass,
  });
  // Any account's committed work: the pass drains every account with due jobs, that one included.
  deps.wake?.subscribe(() => loop.wake());
  return loop;
}
