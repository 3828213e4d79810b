import type { AccountContext } from '../accounts/account-context.ts';
import { accountLanguage } from '../accounts/account-language.ts';
import { fieldIdsComplete } from '../accounts/field-ids.ts';
import type { AmocrmServices } from '../amocrm/index.ts';
import { AmocrmError, describeValidationErrors } from '../amocrm/errors.ts';
import type { Store } from '../db/store.ts';
import type { Logger } from '../logging/logger.ts';
import type { Clock } from '../platform/clock.ts';
import { chunk, sendSplitting, type PartOutcome } from './batch-split.ts';
import { claimJobs, markDead, markDone, markFailed, rearmFailing, releaseJobs, type ClaimedJob } from './job-store.ts';
import type { JobWriter, WriterContext } from './writers.ts';

/** How often, at most, a recovered account's failing jobs are brought forward. */
const REARM_EVERY_MS = 5 * 60_000;

export interface SyncPassResult {
  accounts: number;
  done: number;
  failed: number;
  dead: number;
  released: number;
}

/** The worker's settings, resolved once, and what a drain needs. */
export interface DrainEnv {
  store: Store;
  clock: Clock;
  logger: Logger;
  publicUrl: string;
  amocrm: Pick<AmocrmServices, 'ensureLeadFields'>;
  writers: JobWriter[];
  claimMs: number;
  maxAttempts: number;
  backoffMs: readonly number[];
  failingRetryMs: number;
  batchSize: number;
  batchesPerRound: number;
  /** Per account, when failing jobs were last brought forward. */
  lastRearm: Map<number, number>;
}

/** One account's drain: the first account-level failure (blocked, needs reconnect) stops it. */
interface Drain {
  ctx: AccountContext;
  result: SyncPassResult;
  stop?: AmocrmError;
  /** amoCRM took at least one write in this drain. */
  healthy: boolean;
}

const isRejection = (err: unknown) => err instanceof AmocrmError && err.code === 'amocrm_validation_failed';

export function describeError(err: unknown): string {
  if (err instanceof AmocrmError) {
    const v = describeValidationErrors(err.validationErrors);
    return `${err.code}: ${err.message}${v ? ` [${v}]` : ''}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * docs/architecture.md, Flows 6 Sync to amoCRM: one account's due jobs, kind by kind. Lead updates
 * (already coalesced to one job per lead) go as batched PATCH items carrying the state read at send
 * time; notes and exception tasks as batched POSTs written once each. A 400 on a batch is split down
 * to the bad item (dead letter); other failures back off and, after `maxAttempts`, the job is
 * `failing` with an exception. An account-level failure stops the drain and keeps the jobs.
 */
export async function drainAccount(env: DrainEnv, ctx: AccountContext, result: SyncPassResult): Promise<void> {
  if (!(await fieldsReady(env, ctx))) return;
  const drain: Drain = { ctx, result, healthy: false };
  for (const writer of env.writers) await drainKind(env, drain, writer);
  if (drain.stop)
    env.logger.warn('sync: account paused', { accountId: ctx.accountId, reason: drain.stop.code, until: drain.stop.blockedUntil });
  else if (drain.healthy) await rearmIfDue(env, ctx.accountId);
}

/**
 * The lead fields are created (or relabeled in the account's language) before the first write;
 * false when the account cannot be called at all.
 */
async function fieldsReady(env: DrainEnv, ctx: AccountContext): Promise<boolean> {
  if (fieldIdsComplete(ctx.account.fieldIds, accountLanguage(ctx.account))) return true;
  try {
    await env.amocrm.ensureLeadFields(ctx);
  } catch (err) {
    if (err instanceof AmocrmError && err.accountLevel) return false;
    // Lead updates can still go by field code; the select falls back to its value text.
    env.logger.warn('sync: the dramlink lead fields are not ready', { accountId: ctx.accountId, error: describeError(err) });
  }
  return true;
}

/** Rounds of claim → prepare → send until this kind has no due job or the account stops. */
async function drainKind(env: DrainEnv, drain: Drain, writer: JobWriter): Promise<void> {
  const { store, clock } = env;
  while (!drain.stop) {
    const limit = env.batchSize * env.batchesPerRound;
    const jobs = await claimJobs(store, {
      accountId: drain.ctx.accountId,
      kind: writer.kind,
      limit,
      now: clock.now(),
      claimMs: env.claimMs,
    });
    if (jobs.length === 0) return;
    const wctx: WriterContext = { account: drain.ctx, publicUrl: env.publicUrl, now: clock.now() };
    let prepared;
    try {
      prepared = await writer.prepare(wctx, jobs);
    } catch (err) {
      await settleFailure(env, drain, writer, jobs, err);
      continue;
    }
    await markDone(store, prepared.done, clock.now());
    drain.result.done += prepared.done.length;
    await Promise.all(chunk(prepared.send, env.batchSize).map((batch) => sendBatch(env, drain, writer, wctx, batch)));
  }
}

async function sendBatch(env: DrainEnv, drain: Drain, writer: JobWriter, wctx: WriterContext, batch: ClaimedJob[]): Promise<void> {
  if (drain.stop) {
    await releaseJobs(env.store, batch, { now: env.clock.now() });
    drain.result.released += batch.length;
    return;
  }
  const send = (part: ClaimedJob[]) =>
    writer.send(
      wctx,
      part.map((job, i) => writer.item(wctx, job, i)),
    );
  for (const outcome of await sendSplitting(batch, send, isRejection)) await settleOutcome(env, drain, writer, outcome);
}

async function settleOutcome(env: DrainEnv, drain: Drain, writer: JobWriter, outcome: PartOutcome<ClaimedJob>): Promise<void> {
  if (outcome.ok) {
    await markDone(env.store, outcome.jobs, env.clock.now(), writer.donePayload);
    drain.result.done += outcome.jobs.length;
    drain.healthy = true;
  } else if (outcome.rejected) {
    const job = outcome.jobs[0];
    await markDead(env.store, job, { now: env.clock.now(), error: describeError(outcome.error) });
    drain.result.dead++;
    env.logger.error('sync: amoCRM rejected an item; it is a dead letter', {
      accountId: drain.ctx.accountId,
      kind: writer.kind,
      leadId: job.row.leadId,
      jobId: job.row.id,
      error: describeError(outcome.error),
    });
  } else {
    await settleFailure(env, drain, writer, outcome.jobs, outcome.error);
  }
}

async function settleFailure(env: DrainEnv, drain: Drain, writer: JobWriter, jobs: ClaimedJob[], err: unknown): Promise<void> {
  const now = env.clock.now();
  if (err instanceof AmocrmError && err.accountLevel) {
    drain.stop ??= err;
    // Not counted against the jobs; looked at again after the block, or in a minute.
    const payload = err.ambiguous ? writer.markForVerify : undefined;
    await releaseJobs(env.store, jobs, { now, notBefore: err.blockedUntil ?? now + 60_000, payload });
    drain.result.released += jobs.length;
    return;
  }
  const ambiguous = err instanceof AmocrmError ? err.ambiguous : true;
  const { maxAttempts, backoffMs, failingRetryMs } = env;
  const error = describeError(err);
  const payload = ambiguous ? writer.markForVerify : undefined;
  const { failing } = await markFailed(env.store, jobs, { now, error, maxAttempts, backoffMs, failingRetryMs, payload });
  drain.result.failed += jobs.length;
  const trace = { accountId: drain.ctx.accountId, kind: writer.kind, error };
  if (failing > 0) env.logger.error('sync: jobs are failing after repeated errors', { ...trace, failing });
  else env.logger.warn('sync: write failed, backing off', { ...trace, jobs: jobs.length });
}

/** At most every few minutes, so one job amoCRM keeps refusing is not retried on every pass. */
async function rearmIfDue(env: DrainEnv, accountId: number): Promise<void> {
  const now = env.clock.now();
  if (now - (env.lastRearm.get(accountId) ?? -Infinity) < REARM_EVERY_MS) return;
  env.lastRearm.set(accountId, now);
  const n = await rearmFailing(env.store, accountId, now);
  if (n > 0) env.logger.info('sync: amoCRM takes writes again; failing jobs retried now', { accountId, jobs: n });
}
