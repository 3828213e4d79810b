import { and, asc, eq, inArray } from 'drizzle-orm';
import type { holdActions } from '../db/schema.ts';
import type { Step } from '../db/step.ts';
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
export function* heldAttempt(tx: Tx, paymentId: string): Step<AttemptRow | undefined> {
  return (yield* loadAttempts(tx, paymentId)).filter((a) => a.status === 'authorized').at(-1);
}

/** Actions of an attempt not settled yet (asked, or timed out): another must wait. */
export function* openHoldActions(tx: Tx, attemptId: string): Step<HoldActionRow[]> {
  const { holdActions } = tx.t;
  return yield* tx.all(
    tx
      .select()
      .from(holdActions)
      .where(and(eq(holdActions.attemptId, attemptId), inArray(holdActions.state, ['pending', 'unknown'])))
      .orderBy(asc(holdActions.createdAt), asc(holdActions.id)),
  );
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
): Promise<HoldActionRow | undefined> {
  const now = deps.clock.now();
  return deps.store.transaction(function* (tx) {
    const { holdActions } = tx.t;
    const seen = yield* loadAttempt(tx, input.attemptId);
    if (!seen || (input.accountId !== undefined && seen.accountId !== input.accountId)) throw conflict('not_held');
    // The payment locked first (one lock order for every ledger transaction), then the attempt as it is now.
    const payment = yield* loadPayment(tx, seen.paymentId, { lock: true });
    const attempt = (yield* loadAttempt(tx, input.attemptId))!;
    const autoKey = input.auto ? `${input.kind}:${attempt.id}` : null;
    if (autoKey && (yield* tx.get(tx.select().from(holdActions).where(eq(holdActions.autoKey, autoKey))))) return undefined;
    const id = newId('hold', now);
    const decision = decideHoldAction(paymentStateOf(payment), attemptStateOf(attempt), {
      kind: input.kind,
      actionId: id,
      inFlight: (yield* openHoldActions(tx, attempt.id)).length > 0,
    });
    if ('refused' in decision) throw conflict(decision.refused);
    const row = yield* tx.get(
      tx
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
        .returning(),
    );
    yield* commitDecision(tx, { payment, actor: input.actor, now, provider: attempt.provider }, decision);
    return row!;
  });
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
): Promise<HoldActionRow> {
  const now = deps.clock.now();
  return deps.store.transaction(function* (tx) {
    const { holdActions } = tx.t;
    const byId = () => tx.select().from(holdActions).where(eq(holdActions.id, input.actionId));
    const seen = yield* tx.get(byId());
    if (!seen) throw new ConflictError('hold_action_not_found', `No hold action ${input.actionId}`);
    yield* loadPayment(tx, seen.paymentId, { lock: true });
    const action = (yield* tx.get(byId()))!;
    if (action.state === 'succeeded' || action.state === 'failed') return action;
    yield* tx.run(
      tx
        .update(holdActions)
        .set({ state: input.state, error: input.message ?? null, updatedAt: now })
        .where(eq(holdActions.id, action.id)),
    );
    if (input.state === 'failed' && input.review !== false) yield* recordFailure(tx, action, input.message ?? null, input.actor, now);
    return (yield* tx.get(byId()))!;
  });
}

function* recordFailure(tx: Tx, action: HoldActionRow, message: string | null, actor: string, now: number): Step<void> {
  const payment = yield* loadPayment(tx, action.paymentId);
  const attempt = (yield* loadAttempt(tx, action.attemptId))!;
  const decision = decideHoldActionFailed(paymentStateOf(payment), attemptStateOf(attempt), {
    kind: action.kind,
    actionId: action.id,
    message,
    now,
  });
  yield* commitDecision(tx, { payment, actor, now, provider: attempt.provider }, decision);
}

/** Actions whose outcome a status query must settle: timed out, or reserved by a process that died before calling. */
export function* holdActionsToSettle(
  tx: Tx,
  pendingBefore: number,
  limit: number,
  opts: { skipLocked?: boolean } = {},
): Step<HoldActionRow[]> {
  const { holdActions } = tx.t;
  const select = tx
    .select()
    .from(holdActions)
    .where(inArray(holdActions.state, ['pending', 'unknown']))
    .orderBy(asc(holdActions.updatedAt), asc(holdActions.id))
    .limit(limit);
  const rows = yield* tx.all(opts.skipLocked ? tx.skipLocked(select) : select);
  return rows.filter((a) => a.state === 'unknown' || a.updatedAt <= pendingBefore);
}
