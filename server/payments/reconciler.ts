import { and, eq, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import { OPEN_ATTEMPT_STATUSES } from '../../shared/status.ts';
import { attempts, holdActions, payments, refunds } from '../db/schema.ts';
import { createBackgroundLoop, type BackgroundLoop, type Timer } from '../platform/background-loop.ts';
import { expirePayment } from './expire-payment.ts';
import { settleRefund } from './refunds.ts';
import { reapplyInboxRow } from './reapply-inbox.ts';
import { stuckInboxRows } from './inbox.ts';
import { holdActionsToSettle, settleHoldAction } from './hold-actions.ts';
import { followUpHold, verifyAndFollowUp } from './move-hold.ts';
import { settledByStatus } from './rules/decide-hold-action.ts';
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
/** A capture or void still `pending` after this long was reserved by a process that died before or while calling: a status query settles it. */
export const HOLD_ACTION_STUCK_AFTER_MS = 5 * 60_000;
/** A capture or void whose outcome is unknown is checked this often… */
export const UNKNOWN_HOLD_ACTION_CHECK_MS = 60_000;
/** …and after this long without the provider telling, it is failed for a person (review). */
export const UNKNOWN_HOLD_ACTION_GIVE_UP_MS = 24 * 3_600_000;

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
  /** Holds captured or released by the server (its one automatic action each). */
  holdsMoved: number;
  /** Captures and voids whose outcome was unknown, now known. */
  holdActionsSettled: number;
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
  const report: ReconcileReport = {
    checked: 0,
    changed: 0,
    errors: 0,
    expired: 0,
    reapplied: 0,
    refundsSettled: 0,
    holdsMoved: 0,
    holdActionsSettled: 0,
  };
  await pollPending(deps, batch, report);
  await expireOverdue(deps, batch, report);
  await settleUnknownRefunds(deps, batch, report);
  await followUpHolds(deps, batch, report);
  await settleHoldActions(deps, batch, report);
  rerunStuck(deps, report);
  return report;
}

async function pollPending(deps: VerifyDeps, batch: number, report: ReconcileReport): Promise<void> {
  const now = deps.clock.now();
  const due = deps.db
    .select()
    .from(attempts)
    .where(and(inArray(attempts.status, [...OPEN_ATTEMPT_STATUSES]), isNotNull(attempts.nextCheckAt), lte(attempts.nextCheckAt, now)))
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
    const result = await verifyAndFollowUp(deps, a.id, 'reconciler');
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
      .where(and(sql`${attempts.paymentId} = ${p.id}`, inArray(attempts.status, [...OPEN_ATTEMPT_STATUSES])))
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

/**
 * Holds the server has not acted on yet (learned from a signed callback, or a process stopped
 * between the status query and the capture): captured, released, or left to an admin, by the
 * same rule as everywhere (rules/hold-follow-up.ts); each automatic action happens once.
 */
async function followUpHolds(deps: VerifyDeps, batch: number, report: ReconcileReport): Promise<void> {
  const held = deps.db.select({ id: attempts.id }).from(attempts).where(eq(attempts.status, 'authorized')).limit(batch).all();
  for (const a of held) {
    const before =
      deps.db
        .select({ n: sql<number>`count(*)` })
        .from(holdActions)
        .where(eq(holdActions.attemptId, a.id))
        .get()?.n ?? 0;
    await followUpHold(deps, a.id);
    const after =
      deps.db
        .select({ n: sql<number>`count(*)` })
        .from(holdActions)
        .where(eq(holdActions.attemptId, a.id))
        .get()?.n ?? 0;
    if (after > before) report.holdsMoved++;
  }
}

/**
 * Captures and voids whose call timed out (or whose process died mid-call): the attempt's status
 * tells what happened (move-hold.ts settles it after the query); after a day without an answer a
 * person decides.
 */
async function settleHoldActions(deps: VerifyDeps, batch: number, report: ReconcileReport): Promise<void> {
  const now = deps.clock.now();
  const due = holdActionsToSettle(deps.db, now - HOLD_ACTION_STUCK_AFTER_MS, batch).filter(
    (a) => a.state === 'pending' || a.updatedAt <= now - UNKNOWN_HOLD_ACTION_CHECK_MS,
  );
  for (const action of due) {
    // Claim by moving updatedAt (and a stuck reservation becomes unknown), so a concurrent reconciler skips it.
    const claimed = deps.db
      .update(holdActions)
      .set({ state: 'unknown', updatedAt: now })
      .where(
        and(eq(holdActions.id, action.id), eq(holdActions.updatedAt, action.updatedAt), inArray(holdActions.state, ['pending', 'unknown'])),
      )
      .run();
    if (claimed.changes === 0) continue;
    await verifyAttempt(deps, action.attemptId, `reconciler:${action.kind}`);
    if (settleFromAttempt(deps, action, now - action.createdAt >= UNKNOWN_HOLD_ACTION_GIVE_UP_MS)) report.holdActionsSettled++;
  }
}

function settleFromAttempt(
  deps: VerifyDeps,
  action: { id: string; kind: 'capture' | 'void'; attemptId: string },
  giveUp: boolean,
): boolean {
  const attempt = deps.db.select({ status: attempts.status }).from(attempts).where(eq(attempts.id, action.attemptId)).get();
  const settled = attempt ? settledByStatus(action.kind, attempt.status) : undefined;
  if (settled) {
    settleHoldAction(deps, {
      actionId: action.id,
      state: settled,
      message: `settled by the status query: ${attempt!.status}`,
      actor: 'reconciler',
    });
    return true;
  }
  if (!giveUp) return false;
  settleHoldAction(deps, {
    actionId: action.id,
    state: 'failed',
    message: `the provider has not reported the ${action.kind} for 24 hours; check it in the provider cabinet`,
    actor: 'reconciler',
  });
  return true;
}
