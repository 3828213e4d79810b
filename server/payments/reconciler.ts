import { and, asc, eq, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import { OPEN_ATTEMPT_STATUSES } from '../../shared/status.ts';
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
 * so two reconcilers (two processes) running at once do no harm; the batches are claimed with
 * `FOR UPDATE SKIP LOCKED` on PostgreSQL, so two instances never take the same row.
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
  await rerunStuck(deps, report);
  return report;
}

async function pollPending(deps: VerifyDeps, batch: number, report: ReconcileReport): Promise<void> {
  const now = deps.clock.now();
  // Claimed in one transaction, each moved to its next check: a concurrent reconciler (another
  // instance) passes over rows being claimed (SKIP LOCKED) and finds the claimed ones not due.
  const due = await deps.store.transaction(function* (tx) {
    const { attempts } = tx.t;
    const rows = yield* tx.all(
      tx.skipLocked(
        tx
          .select()
          .from(attempts)
          .where(and(inArray(attempts.status, [...OPEN_ATTEMPT_STATUSES]), isNotNull(attempts.nextCheckAt), lte(attempts.nextCheckAt, now)))
          .orderBy(asc(attempts.nextCheckAt), asc(attempts.id))
          .limit(batch),
      ),
    );
    for (const a of rows) {
      yield* tx.run(
        tx
          .update(attempts)
          .set({ nextCheckAt: now + nextCheckDelay(a.checkCount + 1), checkCount: sql`${attempts.checkCount} + 1` })
          .where(eq(attempts.id, a.id)),
      );
    }
    return rows;
  });
  for (const a of due) {
    const result = await verifyAndFollowUp(deps, a.id, 'reconciler');
    report.checked++;
    if (result.kind === 'applied' && result.decision.events.length) report.changed++;
    if (result.kind === 'error') report.errors++;
    if (result.kind === 'not_supported') {
      // No status API (Idram): only its signed notification can settle it; stop polling.
      await deps.store.run((tx) => tx.run(tx.update(tx.t.attempts).set({ nextCheckAt: null }).where(eq(tx.t.attempts.id, a.id))));
    }
  }
}

async function expireOverdue(deps: VerifyDeps, batch: number, report: ReconcileReport): Promise<void> {
  const now = deps.clock.now();
  const overdue = await deps.store.run(function* (tx) {
    const { payments } = tx.t;
    return yield* tx.all(
      tx
        .select({ id: payments.id })
        .from(payments)
        .where(and(inArray(payments.status, ['awaiting', 'failed']), lte(payments.expiresAt, now)))
        .orderBy(asc(payments.expiresAt), asc(payments.id))
        .limit(batch),
    );
  });
  for (const p of overdue) {
    const open = await deps.store.run(function* (tx) {
      const { attempts } = tx.t;
      return yield* tx.all(
        tx
          .select({ id: attempts.id })
          .from(attempts)
          .where(and(eq(attempts.paymentId, p.id), inArray(attempts.status, [...OPEN_ATTEMPT_STATUSES]))),
      );
    });
    // One last question to the provider: a payment made in the final minutes must not expire. An
    // attempt asked less than 15 s ago (status-ration.ts) stands on that answer, already in the ledger.
    // Two reconcilers expiring one payment at once is harmless: the payment row is locked and the rule is idempotent.
    for (const a of open) await verifyAttempt(deps, a.id, 'reconciler:expiry');
    const decision = await expirePayment(deps, { paymentId: p.id, actor: 'system' });
    if (decision.events.length) report.expired++;
  }
}

/**
 * A refund call that timed out has an unknown outcome; only the provider's refunded total can tell.
 * The status query settles it when the total grew (apply-provider-fact); after a day it is failed.
 */
async function settleUnknownRefunds(deps: VerifyDeps, batch: number, report: ReconcileReport): Promise<void> {
  const now = deps.clock.now();
  // Claimed by moving updatedAt, in one transaction that passes over rows another reconciler is claiming.
  const due = await deps.store.transaction(function* (tx) {
    const { refunds } = tx.t;
    const rows = yield* tx.all(
      tx.skipLocked(
        tx
          .select()
          .from(refunds)
          .where(and(eq(refunds.state, 'unknown'), lte(refunds.updatedAt, now - UNKNOWN_REFUND_CHECK_MS)))
          .orderBy(asc(refunds.updatedAt), asc(refunds.id))
          .limit(batch),
      ),
    );
    if (rows.length) {
      yield* tx.run(
        tx
          .update(refunds)
          .set({ updatedAt: now })
          .where(
            inArray(
              refunds.id,
              rows.map((r) => r.id),
            ),
          ),
      );
    }
    return rows;
  });
  for (const r of due) {
    await verifyAttempt(deps, r.attemptId, 'reconciler:refund');
    await settleIfStillUnknown(deps, r, now, report);
  }
}

async function settleIfStillUnknown(
  deps: VerifyDeps,
  r: { id: string; createdAt: number },
  now: number,
  report: ReconcileReport,
): Promise<void> {
  const after = await deps.store.run((tx) =>
    tx.get(tx.select({ state: tx.t.refunds.state }).from(tx.t.refunds).where(eq(tx.t.refunds.id, r.id))),
  );
  if (after?.state === 'succeeded') report.refundsSettled++;
  else if (after?.state === 'unknown' && now - r.createdAt >= UNKNOWN_REFUND_GIVE_UP_MS) {
    await settleRefund(deps, {
      refundId: r.id,
      state: 'failed',
      message: 'the provider has not reported this refund for 24 hours; check it in the provider cabinet',
      actor: 'reconciler',
    });
    report.refundsSettled++;
  }
}

async function rerunStuck(deps: VerifyDeps, report: ReconcileReport): Promise<void> {
  const stuck = await deps.store.run((tx) => stuckInboxRows(tx, deps.clock.now() - STUCK_INBOX_AFTER_MS));
  for (const row of stuck) {
    await reapplyInboxRow(deps, row);
    report.reapplied++;
  }
}

function holdActionCount(deps: VerifyDeps, attemptId: string): Promise<number> {
  return deps.store.run(function* (tx) {
    const { holdActions } = tx.t;
    const row = yield* tx.get(
      tx
        .select({ n: sql<number>`count(*)` })
        .from(holdActions)
        .where(eq(holdActions.attemptId, attemptId)),
    );
    return row?.n ?? 0;
  });
}

/**
 * Holds the server has not acted on yet (learned from a signed callback, or a process stopped
 * between the status query and the capture): captured, released, or left to an admin, by the
 * same rule as everywhere (rules/hold-follow-up.ts); each automatic action happens once.
 */
async function followUpHolds(deps: VerifyDeps, batch: number, report: ReconcileReport): Promise<void> {
  const held = await deps.store.run((tx) =>
    tx.all(
      tx
        .select({ id: tx.t.attempts.id })
        .from(tx.t.attempts)
        .where(eq(tx.t.attempts.status, 'authorized'))
        .orderBy(tx.t.attempts.id)
        .limit(batch),
    ),
  );
  for (const a of held) {
    const before = await holdActionCount(deps, a.id);
    await followUpHold(deps, a.id);
    if ((await holdActionCount(deps, a.id)) > before) report.holdsMoved++;
  }
}

/**
 * Captures and voids whose call timed out (or whose process died mid-call): the attempt's status
 * tells what happened (move-hold.ts settles it after the query); after a day without an answer a
 * person decides.
 */
async function settleHoldActions(deps: VerifyDeps, batch: number, report: ReconcileReport): Promise<void> {
  const now = deps.clock.now();
  // Claimed by moving updatedAt (and a stuck reservation becomes unknown), passing over rows another reconciler is claiming.
  const due = await deps.store.transaction(function* (tx) {
    const { holdActions } = tx.t;
    const rows = (yield* holdActionsToSettle(tx, now - HOLD_ACTION_STUCK_AFTER_MS, batch, { skipLocked: true })).filter(
      (a) => a.state === 'pending' || a.updatedAt <= now - UNKNOWN_HOLD_ACTION_CHECK_MS,
    );
    if (rows.length) {
      yield* tx.run(
        tx
          .update(holdActions)
          .set({ state: 'unknown', updatedAt: now })
          .where(
            and(
              inArray(
                holdActions.id,
                rows.map((a) => a.id),
              ),
              inArray(holdActions.state, ['pending', 'unknown']),
            ),
          ),
      );
    }
    return rows;
  });
  for (const action of due) {
    await verifyAttempt(deps, action.attemptId, `reconciler:${action.kind}`);
    if (await settleFromAttempt(deps, action, now - action.createdAt >= UNKNOWN_HOLD_ACTION_GIVE_UP_MS)) report.holdActionsSettled++;
  }
}

async function settleFromAttempt(
  deps: VerifyDeps,
  action: { id: string; kind: 'capture' | 'void'; attemptId: string },
  giveUp: boolean,
): Promise<boolean> {
  const attempt = await deps.store.run((tx) =>
    tx.get(tx.select({ status: tx.t.attempts.status }).from(tx.t.attempts).where(eq(tx.t.attempts.id, action.attemptId))),
  );
  const settled = attempt ? settledByStatus(action.kind, attempt.status) : undefined;
  if (settled) {
    await settleHoldAction(deps, {
      actionId: action.id,
      state: settled,
      message: `settled by the status query: ${attempt!.status}`,
      actor: 'reconciler',
    });
    return true;
  }
  if (!giveUp) return false;
  await settleHoldAction(deps, {
    actionId: action.id,
    state: 'failed',
    message: `the provider has not reported the ${action.kind} for 24 hours; check it in the provider cabinet`,
    actor: 'reconciler',
  });
  return true;
}
