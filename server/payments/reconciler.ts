import { and, eq, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import { attempts, payments, refunds } from '../db/schema.ts';
import { createBackgroundLoop, type BackgroundLoop, type Timer } from '../platform/background-loop.ts';
import { expirePayment } from './expire-payment.ts';
import { settleRefund } from './refunds.ts';
import { reapplyInboxRow } from './reapply-inbox.ts';
import { stuckInboxRows } from './inbox.ts';
import { verifyAttempt, type VerifyDeps } from './verify-attempt.ts';

/** Back-off between status queries of a pending attempt: the first one 1 min after it opens (FIRST_CHECK_DELAY_MS), then 5 min later, 15 min… The last step repeats. */
export const CHECK_BACKOFF_MS = [60_000, 5 * 60_000, 15 * 60_000, 3_600_000, 6 * 3_600_000, 24 * 3_600_000];
/** A refund whose outcome is unknown (the call timed out) is checked this often with a status query… */
export const UNKNOWN_REFUND_CHECK_MS = 5 * 60_000;
/** …and after this long without the provider reporting it, it is settled as failed for a person to look at. */
export const UNKNOWN_REFUND_GIVE_UP_MS = 24 * 3_600_000;
/**
 * An inbox row still `received`/`processing` after this long is run again. Today's writers store a
 * row together with its effect in one transaction, so none is left half-done by a crash; this is the
 * net for rows written any other way (an import, a future queue that acknowledges before applying).
 */
export const STUCK_INBOX_AFTER_MS = 5 * 60_000;

export function nextCheckDelay(checkCount: number): number {
  return CHECK_BACKOFF_MS[Math.min(checkCount, CHECK_BACKOFF_MS.length - 1)];
}

export interface ReconcileReport {
  checked: number;
  changed: number;
  errors: number;
  expired: number;
  reapplied: number;
  refundsSettled: number;
}

export type Reconciler = BackgroundLoop<ReconcileReport>;

/**
 * Catches what notifications missed (docs/architecture.md, Flows 5 Reconcile): polls pending
 * attempts with back-off, expires payments past their expiry after one last status query, settles
 * refunds whose outcome is unknown, and re-runs interrupted inbox rows. Every step is idempotent,
 * so two reconcilers (two processes) running at once do no harm.
 */
export function createReconciler(deps: VerifyDeps, opts: { intervalMs?: number; batch?: number; timer?: Timer } = {}): Reconciler {
  const batch = opts.batch ?? 50;
  return createBackgroundLoop({
    name: 'reconciler',
    intervalMs: opts.intervalMs ?? 30_000,
    timer: opts.timer,
    logger: deps.logger,
    pass: () => reconcileOnce(deps, batch),
  });
}

/** One reconciler pass: every step in turn, each over at most `batch` rows. */
export async function reconcileOnce(deps: VerifyDeps, batch: number): Promise<ReconcileReport> {
  const report: ReconcileReport = { checked: 0, changed: 0, errors: 0, expired: 0, reapplied: 0, refundsSettled: 0 };
  await pollPending(deps, batch, report);
  await expireOverdue(deps, batch, report);
  await settleUnknownRefunds(deps, batch, report);
  rerunStuck(deps, report);
  return report;
}

async function pollPending(deps: VerifyDeps, batch: number, report: ReconcileReport): Promise<void> {
  const now = deps.clock.now();
  const due = deps.db
    .select()
    .from(attempts)
    .where(and(inArray(attempts.status, ['created', 'pending']), isNotNull(attempts.nextCheckAt), lte(attempts.nextCheckAt, now)))
    .limit(batch)
    .all();
  for (const a of due) {
    // Claim the next slot first, so a concurrent reconciler skips this attempt.
    const claimed = deps.db
      .update(attempts)
      .set({ nextCheckAt: now + nextCheckDelay(a.checkCount + 1), checkCount: sql`${attempts.checkCount} + 1` })
      .where(and(sql`${attempts.id} = ${a.id}`, sql`${attempts.nextCheckAt} = ${a.nextCheckAt}`))
      .run();
    if (claimed.changes === 0) continue;
    const result = await verifyAttempt(deps, a.id, 'reconciler');
    report.checked++;
    if (result.kind === 'applied' && result.decision.events.length) report.changed++;
    if (result.kind === 'error') report.errors++;
    if (result.kind === 'not_supported') {
      // No status API (Idram): only its signed notification can settle it; stop polling.
      deps.db
        .update(attempts)
        .set({ nextCheckAt: null })
        .where(sql`${attempts.id} = ${a.id}`)
        .run();
    }
  }
}

async function expireOverdue(deps: VerifyDeps, batch: number, report: ReconcileReport): Promise<void> {
  const now = deps.clock.now();
  const overdue = deps.db
    .select({ id: payments.id })
    .from(payments)
    .where(and(inArray(payments.status, ['awaiting', 'failed']), lte(payments.expiresAt, now)))
    .limit(batch)
    .all();
  for (const p of overdue) {
    const open = deps.db
      .select({ id: attempts.id })
      .from(attempts)
      .where(and(sql`${attempts.paymentId} = ${p.id}`, inArray(attempts.status, ['created', 'pending'])))
      .all();
    // One last question to the provider: a payment made in the final minutes must not expire. An
    // attempt asked less than 15 s ago (status-ration.ts) stands on that answer, already in the ledger.
    for (const a of open) await verifyAttempt(deps, a.id, 'reconciler:expiry');
    const decision = expirePayment(deps, { paymentId: p.id, actor: 'system' });
    if (decision.events.length) report.expired++;
  }
}

/**
 * A refund call that timed out has an unknown outcome; only the provider's refunded total can tell.
 * The status query settles it when the total grew (apply-provider-fact); after a day it is failed.
 */
async function settleUnknownRefunds(deps: VerifyDeps, batch: number, report: ReconcileReport): Promise<void> {
  const now = deps.clock.now();
  const due = deps.db
    .select()
    .from(refunds)
    .where(and(eq(refunds.state, 'unknown'), lte(refunds.updatedAt, now - UNKNOWN_REFUND_CHECK_MS)))
    .limit(batch)
    .all();
  for (const r of due) {
    // Claim by moving updatedAt, so a concurrent reconciler skips it.
    const claimed = deps.db
      .update(refunds)
      .set({ updatedAt: now })
      .where(and(sql`${refunds.id} = ${r.id}`, sql`${refunds.updatedAt} = ${r.updatedAt}`, sql`${refunds.state} = 'unknown'`))
      .run();
    if (claimed.changes === 0) continue;
    await verifyAttempt(deps, r.attemptId, 'reconciler:refund');
    settleIfStillUnknown(deps, r, now, report);
  }
}

function settleIfStillUnknown(deps: VerifyDeps, r: { id: string; createdAt: number }, now: number, report: ReconcileReport): void {
  const after = deps.db
    .select({ state: refunds.state })
    .from(refunds)
    .where(sql`${refunds.id} = ${r.id}`)
    .get();
  if (after?.state === 'succeeded') report.refundsSettled++;
  else if (after?.state === 'unknown' && now - r.createdAt >= UNKNOWN_REFUND_GIVE_UP_MS) {
    settleRefund(deps, {
      refundId: r.id,
      state: 'failed',
      message: 'the provider has not reported this refund for 24 hours; check it in the provider cabinet',
      actor: 'reconciler',
    });
    report.refundsSettled++;
  }
}

function rerunStuck(deps: VerifyDeps, report: ReconcileReport): void {
  for (const row of stuckInboxRows(deps.db, deps.clock.now() - STUCK_INBOX_AFTER_MS)) {
    reapplyInboxRow(deps, row);
    report.reapplied++;
  }
}
