import { and, asc, eq, inArray } from 'drizzle-orm';
import { holdActions } from '../db/schema.ts';
import type { Tx } from '../db/tx.ts';
import { ConflictError } from '../errors/app-error.ts';
import { commitDecision } from './commit-decision.ts';
import type { LedgerDeps } from './deps.ts';
import { newId } from './ids.ts';
import { loadAttempt, loadAttempts, loadPayment } from './load-payment.ts';
import { attemptStateOf, paymentStateOf, type AttemptRow } from './payment-state.ts';
import { decideHoldAction, decideHoldActionFailed, type HoldActionKind } from './rules/decide-hold-action.ts';

export type HoldActionRow = typeof holdActions.$inferSelect;
export type HoldActionOutcome = 'succeeded' | 'failed' | 'unknown';

const REFUSED = {
  not_held: { code: 'no_hold', message: 'No funds are held for this payment: there is nothing to capture or void.' },
  in_progress: {
    code: 'hold_action_in_progress',
    message: 'A capture or void of these funds is already under way, or its outcome is still being checked; refresh the payment first.',
  },
  already_paid: {
    code: 'payment_already_paid',
    message: 'This payment is already paid: capturing these funds would take the money twice; void them.',
  },
} as const;

/** The attempt whose funds are held (at most one per payment in practice; the newest when several). */
export function heldAttempt(tx: Tx, paymentId: string): AttemptRow | undefined {
  return loadAttempts(tx, paymentId)
    .filter((a) => a.status === 'authorized')
    .at(-1);
}

/** Actions of an attempt not settled yet (asked, or timed out): another must wait. */
export function openHoldActions(tx: Tx, attemptId: string): HoldActionRow[] {
  return tx
    .select()
    .from(holdActions)
    .where(and(eq(holdActions.attemptId, attemptId), inArray(holdActions.state, ['pending', 'unknown'])))
    .orderBy(asc(holdActions.createdAt))
    .all();
}

/**
 * Step 1 of a capture or void: reserved as `pending` in one transaction, with its audit entry,
 * before the provider is called once. `auto` is the server's own follow-up: at most one per attempt
 * and kind, ever (a unique key), so it is never repeated. Throws ConflictError with the rule's code
 * when it may not be asked for now.
 */
export function reserveHoldAction(
  deps: LedgerDeps,
  input: { attemptId: string; accountId?: number; kind: HoldActionKind; actor: string; auto: boolean },
): HoldActionRow | undefined {
  const now = deps.clock.now();
  return deps.db.transaction(
    (tx) => {
      const attempt = loadAttempt(tx, input.attemptId);
      if (!attempt || (input.accountId !== undefined && attempt.accountId !== input.accountId)) throw conflict('not_held');
      const autoKey = input.auto ? `${input.kind}:${attempt.id}` : null;
      if (autoKey && tx.select().from(holdActions).where(eq(holdActions.autoKey, autoKey)).get()) return undefined;
      const payment = loadPayment(tx, attempt.paymentId);
      const id = newId('hold', now);
      const decision = decideHoldAction(paymentStateOf(payment), attemptStateOf(attempt), {
        kind: input.kind,
        actionId: id,
        inFlight: openHoldActions(tx, attempt.id).length > 0,
      });
      if ('refused' in decision) throw conflict(decision.refused);
      const row = tx
        .insert(holdActions)
        .values({
          id,
          attemptId: attempt.id,
          paymentId: payment.id,
          accountId: payment.accountId,
          kind: input.kind,
          state: 'pending',
          requestedBy: input.actor,
          autoKey,
          createdAt: now,
          updatedAt: now,
        })
        .returning()
        .get();
      commitDecision(tx, { payment, actor: input.actor, now, provider: attempt.provider }, decision);
      return row;
    },
    { behavior: 'immediate' },
  );
}

function conflict(refused: keyof typeof REFUSED): ConflictError {
  return new ConflictError(REFUSED[refused].code, REFUSED[refused].message);
}

/**
 * Step 2: what the provider answered. `succeeded` is only that the provider took the request: the
 * attempt becomes paid (capture) or closed (void) when a status query reports it. `failed` puts the
 * payment in review with a task; `unknown` (a timeout) waits for a status query to decide.
 */
export function settleHoldAction(
  deps: LedgerDeps,
  input: {
    actionId: string;
    state: HoldActionOutcome;
    message?: string | null;
    actor: string;
    /** false: the request never reached the provider and a person is already looking (an admin's click): no review. */
    review?: boolean;
  },
): HoldActionRow {
  const now = deps.clock.now();
  return deps.db.transaction(
    (tx) => {
      const action = tx.select().from(holdActions).where(eq(holdActions.id, input.actionId)).get();
      if (!action) throw new ConflictError('hold_action_not_found', `No hold action ${input.actionId}`);
      if (action.state === 'succeeded' || action.state === 'failed') return action;
      tx.update(holdActions)
        .set({ state: input.state, error: input.message ?? null, updatedAt: now })
        .where(eq(holdActions.id, action.id))
        .run();
      if (input.state === 'failed' && input.review !== false) recordFailure(tx, action, input.message ?? null, input.actor, now);
      return tx.select().from(holdActions).where(eq(holdActions.id, action.id)).get()!;
    },
    { behavior: 'immediate' },
  );
}

function recordFailure(tx: Tx, action: HoldActionRow, message: string | null, actor: string, now: number): void {
  const payment = loadPayment(tx, action.paymentId);
  const attempt = loadAttempt(tx, action.attemptId)!;
  const decision = decideHoldActionFailed(paymentStateOf(payment), attemptStateOf(attempt), {
    kind: action.kind,
    actionId: action.id,
    message,
    now,
  });
  commitDecision(tx, { payment, actor, now, provider: attempt.provider }, decision);
}

/** Actions whose outcome a status query must settle: timed out, or reserved by a process that died before calling. */
export function holdActionsToSettle(tx: Tx, pendingBefore: number, limit: number): HoldActionRow[] {
  return tx
    .select()
    .from(holdActions)
    .where(inArray(holdActions.state, ['pending', 'unknown']))
    .orderBy(asc(holdActions.updatedAt))
    .limit(limit)
    .all()
    .filter((a) => a.state === 'unknown' || a.updatedAt <= pendingBefore);
}
