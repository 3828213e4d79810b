import { and, asc, eq, gt, inArray, lte, or, sql } from 'drizzle-orm';
import type { syncJobs } from '../db/schema.ts';
import type { Step } from '../db/step.ts';
import type { Store } from '../db/store.ts';
import type { Tx } from '../db/tx.ts';
import { openException, resolveException } from '../exceptions/open-exception.ts';

export type SyncJobRow = typeof syncJobs.$inferSelect;
export type SyncJobKind = SyncJobRow['kind'];

/** A job this worker holds, with what it looked like when claimed. */
export interface ClaimedJob {
  row: SyncJobRow;
  /** pending / failing, or in_flight when a dead worker's claim expired. */
  previousState: SyncJobRow['state'];
  /** The generation sent; a newer one means newer state is waiting and the job is not done. */
  generation: number;
}

/** Back-off after failure n (1-based): 1, 2, 4, 8, 15, 15, 15 minutes: about an hour over 8 attempts. */
export const SYNC_BACKOFF_MS: readonly number[] = [1, 2, 4, 8, 15, 15, 15].map((m) => m * 60_000);
export const SYNC_MAX_ATTEMPTS = 8;
/** Once failing, keep trying, slowly. */
export const SYNC_FAILING_RETRY_MS = 30 * 60_000;

const due = ({ syncJobs }: Tx['t'], now: number) =>
  or(
    and(inArray(syncJobs.state, ['pending', 'failing']), lte(syncJobs.nextRunAt, now)),
    and(eq(syncJobs.state, 'in_flight'), lte(syncJobs.claimedUntil, now)),
  );

/** Accounts with due jobs (whether each may be called now is the accounts module's judgement). */
export function accountsWithDueJobs(store: Store, now: number): Promise<number[]> {
  return store.run(function* (tx) {
    const { syncJobs } = tx.t;
    const rows = yield* tx.all(tx.selectDistinct({ accountId: syncJobs.accountId }).from(syncJobs).where(due(tx.t, now)));
    return rows.map((r) => r.accountId);
  });
}

/**
 * Claims up to `limit` due jobs of one kind for one account: in_flight with a claim that expires,
 * so jobs held by a worker that died are picked up again once it does.
 */
export function claimJobs(
  store: Store,
  input: { accountId: number; kind: SyncJobKind; limit: number; now: number; claimMs: number },
): Promise<ClaimedJob[]> {
  return store.transaction(function* (tx) {
    const { syncJobs } = tx.t;
    // PostgreSQL: rows another instance is claiming right now are passed over, never claimed twice.
    const rows = yield* tx.all(
      tx.skipLocked(
        tx
          .select()
          .from(syncJobs)
          .where(and(eq(syncJobs.accountId, input.accountId), eq(syncJobs.kind, input.kind), due(tx.t, input.now)))
          .orderBy(asc(syncJobs.nextRunAt), asc(syncJobs.id))
          .limit(input.limit),
      ),
    );
    if (rows.length === 0) return [];
    yield* tx.run(
      tx
        .update(syncJobs)
        .set({ state: 'in_flight', claimedUntil: input.now + input.claimMs, updatedAt: input.now })
        .where(
          inArray(
            syncJobs.id,
            rows.map((r) => r.id),
          ),
        ),
    );
    return rows.map((row) => ({ row, previousState: row.state, generation: row.generation }));
  });
}

function failingKey(leadId: number): string {
  return `sync_failing:lead:${leadId}`;
}

/** A newer generation arrived while the job was in flight: it goes back to pending for that state. */
const doneUnlessNewer = (syncJobs: Tx['t']['syncJobs'], generation: number) =>
  sql`CASE WHEN ${syncJobs.generation} = ${generation} THEN 'done' ELSE 'pending' END`;

/** Written: done, unless a newer generation arrived meanwhile (then it goes back to pending for that state). */
export async function markDone(
  store: Store,
  jobs: ClaimedJob[],
  now: number,
  payload?: (job: ClaimedJob) => string | undefined,
): Promise<void> {
  if (jobs.length === 0) return;
  await store.transaction(function* (tx) {
    const { syncJobs } = tx.t;
    for (const job of jobs) {
      const p = payload?.(job);
      yield* tx.run(
        tx
          .update(syncJobs)
          .set({ state: doneUnlessNewer(syncJobs, job.generation), claimedUntil: null, lastError: null, updatedAt: now })
          .where(and(eq(syncJobs.id, job.row.id), eq(syncJobs.state, 'in_flight'))),
      );
      // What was written is true whether or not newer state is waiting.
      if (p !== undefined) yield* tx.run(tx.update(syncJobs).set({ payload: p }).where(eq(syncJobs.id, job.row.id)));
      if (job.row.attempts > 0) yield* resolveIfHealthy(tx, job.row.accountId, job.row.leadId, now);
    }
  });
}

function* resolveIfHealthy(tx: Tx, accountId: number, leadId: number, now: number): Step<void> {
  const { syncJobs } = tx.t;
  const still = yield* tx.get(
    tx
      .select({ n: sql<number>`count(*)` })
      .from(syncJobs)
      .where(and(eq(syncJobs.accountId, accountId), eq(syncJobs.leadId, leadId), eq(syncJobs.state, 'failing'))),
  );
  if ((still?.n ?? 0) === 0) yield* resolveException(tx, { accountId, key: failingKey(leadId), now });
}

/**
 * A failed try: back off; after `maxAttempts` the job is `failing`, an exception is opened once per
 * account and lead, and it keeps retrying slowly. `verify` asks the next try to look for the write first.
 */
export async function markFailed(
  store: Store,
  jobs: ClaimedJob[],
  input: {
    now: number;
    error: string;
    maxAttempts: number;
    backoffMs: readonly number[];
    failingRetryMs: number;
    payload?: (job: ClaimedJob) => string | undefined;
  },
): Promise<{ failing: number }> {
  const failing = await store.transaction(function* (tx) {
    const { syncJobs } = tx.t;
    let failing = 0;
    for (const job of jobs) {
      const current = yield* tx.get(
        tx.select({ state: syncJobs.state, attempts: syncJobs.attempts }).from(syncJobs).where(eq(syncJobs.id, job.row.id)),
      );
      if (!current || current.state === 'done' || current.state === 'dead') continue;
      const attempts = current.attempts + 1;
      const isFailing = attempts >= input.maxAttempts;
      const delay = isFailing ? input.failingRetryMs : input.backoffMs[Math.min(attempts - 1, input.backoffMs.length - 1)];
      const payload = input.payload?.(job);
      yield* tx.run(
        tx
          .update(syncJobs)
          .set({
            state: isFailing ? 'failing' : 'pending',
            attempts,
            nextRunAt: input.now + delay,
            claimedUntil: null,
            lastError: input.error.slice(0, 1000),
            updatedAt: input.now,
            ...(payload !== undefined ? { payload } : {}),
          })
          .where(eq(syncJobs.id, job.row.id)),
      );
      if (isFailing) {
        failing++;
        yield* openException(tx, {
          accountId: job.row.accountId,
          kind: 'sync_failing',
          key: failingKey(job.row.leadId),
          paymentId: job.row.paymentId,
          leadId: job.row.leadId,
          reason: 'retrying',
          data: { attempts, error: input.error.slice(0, 200), retryEveryMinutes: Math.round(input.failingRetryMs / 60_000) },
          now: input.now,
        });
      }
    }
    return failing;
  });
  return { failing };
}

/**
 * amoCRM rejected this item itself: a dead letter with its validation error, and an exception for a
 * person; unless newer state arrived while it was in flight, which is sent (and may be accepted).
 */
export async function markDead(store: Store, job: ClaimedJob, input: { now: number; error: string }): Promise<void> {
  await store.transaction(function* (tx) {
    const { syncJobs } = tx.t;
    const current = yield* tx.get(tx.select({ generation: syncJobs.generation }).from(syncJobs).where(eq(syncJobs.id, job.row.id)));
    const newer = current !== undefined && current.generation !== job.generation;
    const lastError = input.error.slice(0, 1000);
    yield* tx.run(
      tx
        .update(syncJobs)
        .set({ state: newer ? 'pending' : 'dead', claimedUntil: null, lastError, updatedAt: input.now })
        .where(eq(syncJobs.id, job.row.id)),
    );
    if (newer) return;
    yield* openException(tx, {
      accountId: job.row.accountId,
      kind: 'sync_failing',
      key: `sync_rejected:${job.row.dedupeKey}`,
      paymentId: job.row.paymentId,
      leadId: job.row.leadId,
      reason: 'rejected',
      data: { jobKind: job.row.kind, error: input.error.slice(0, 300) },
      now: input.now,
    });
  });
}

/** Give jobs back untouched (the account cannot be called now): no attempt counted. */
export async function releaseJobs(
  store: Store,
  jobs: ClaimedJob[],
  input: { now: number; notBefore?: number; payload?: (job: ClaimedJob) => string | undefined },
): Promise<void> {
  if (jobs.length === 0) return;
  await store.transaction(function* (tx) {
    const { syncJobs } = tx.t;
    for (const job of jobs) {
      const back = job.previousState === 'failing' ? 'failing' : 'pending';
      const payload = input.payload?.(job);
      yield* tx.run(
        tx
          .update(syncJobs)
          .set({
            state: sql`CASE WHEN ${syncJobs.state} = 'in_flight' THEN ${back} ELSE ${syncJobs.state} END`,
            claimedUntil: null,
            nextRunAt: input.notBefore !== undefined ? tx.greatest(syncJobs.nextRunAt, input.notBefore) : sql`${syncJobs.nextRunAt}`,
            updatedAt: input.now,
            ...(payload !== undefined ? { payload } : {}),
          })
          .where(and(eq(syncJobs.id, job.row.id), inArray(syncJobs.state, ['in_flight', 'pending', 'failing']))),
      );
    }
  });
}

/**
 * amoCRM took a write for this account again: bring its failing jobs forward instead of leaving
 * them to their slow 30-minute retry, so the CRM is in step soon after an outage ends.
 */
export function rearmFailing(store: Store, accountId: number, now: number): Promise<number> {
  return store.run(function* (tx) {
    const { syncJobs } = tx.t;
    return yield* tx.run(
      tx
        .update(syncJobs)
        .set({ nextRunAt: now })
        .where(and(eq(syncJobs.accountId, accountId), eq(syncJobs.state, 'failing'), gt(syncJobs.nextRunAt, now))),
    );
  });
}
