import { and, eq, inArray, sql } from 'drizzle-orm';
import { isMoneyTaken } from '../../shared/status.ts';
import { isValidAmountMinor } from '../../shared/money.ts';
import type { refunds } from '../db/schema.ts';
import type { Step } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';
import { ConflictError, ValidationError } from '../errors/app-error.ts';
import { commitDecision } from './commit-decision.ts';
import type { LedgerDeps } from './deps.ts';
import { newId } from './ids.ts';
import { loadAttempt, loadPayment } from './load-payment.ts';
import { paymentStateOf, type PaymentRow } from './payment-state.ts';
import { recordEvents } from './record-events.ts';
import { decideRefundSucceeded } from './rules/decide-refund.ts';
import { refundableMinor } from './rules/refund-status.ts';

export type RefundRow = typeof refunds.$inferSelect;

export type RefundOutcome = 'succeeded' | 'failed' | 'unknown';

/**
 * Step 1 of a refund: reserve it as `pending` (so two clicks cannot refund twice) before the
 * provider is called once, outside any transaction. Amount absent = everything not yet refunded.
 */
export function requestRefund(
  deps: LedgerDeps,
  input: { paymentId: string; accountId: number; amountMinor?: number; actor: string },
): Promise<RefundRow> {
  const now = deps.clock.now();
  return deps.store.transaction(function* (tx) {
    const payment = yield* loadPayment(tx, input.paymentId, { accountId: input.accountId, lock: true });
    if (!isMoneyTaken(payment.status) || !payment.paidAttemptId) {
      throw new ConflictError('payment_not_paid', 'Only a paid payment can be refunded.');
    }
    const amountMinor = checkedRefundAmount(input.amountMinor, yield* availableToRefund(tx, payment));
    const row = (yield* tx.get(
      tx
        .insert(tx.t.refunds)
        .values({
          id: newId('ref', now),
          paymentId: payment.id,
          accountId: payment.accountId,
          attemptId: payment.paidAttemptId,
          amountMinor,
          currency: payment.currency,
          state: 'pending',
          source: 'manager',
          requestedBy: input.actor,
          createdAt: now,
          updatedAt: now,
        })
        .returning(),
    ))!;
    yield* recordEvents(tx, { payment, actor: input.actor, now }, [{ type: 'refund_requested', refundId: row.id, amountMinor }]);
    return row;
  });
}

/** Paid minus refunded minus refunds still being settled; refuses when nothing is left. */
function* availableToRefund(tx: Tx, payment: PaymentRow): Step<number> {
  const { refunds } = tx.t;
  const row = yield* tx.get(
    tx
      .select({ n: sql<number>`coalesce(sum(${refunds.amountMinor}), 0)` })
      .from(refunds)
      .where(and(eq(refunds.paymentId, payment.id), inArray(refunds.state, ['pending', 'unknown']))),
  );
  const inFlight = row?.n ?? 0;
  const available = refundableMinor(paymentStateOf(payment)) - inFlight;
  if (available > 0) return available;
  if (inFlight > 0) {
    throw new ConflictError(
      'refund_in_progress',
      'A refund for this payment is still being settled; check its status before refunding more.',
    );
  }
  throw new ConflictError('nothing_to_refund', 'Everything paid has already been refunded.');
}

function checkedRefundAmount(requested: number | undefined, available: number): number {
  const amountMinor = requested ?? available;
  if (!isValidAmountMinor(amountMinor)) {
    throw new ValidationError(
      'invalid_amount',
      `A refund amount must be a whole positive number of minor units, at most ${available} here; got ${JSON.stringify(amountMinor) ?? String(amountMinor)}.`,
      { maxAmountMinor: available },
    );
  }
  if (amountMinor > available) {
    throw new ValidationError(
      'refund_amount_too_large',
      `A refund may be at most ${available} minor units (paid minus already refunded); got ${amountMinor}.`,
      { maxAmountMinor: available },
    );
  }
  return amountMinor;
}

/**
 * Step 2: the provider's answer. succeeded adds to the refunded total (partial or full);
 * failed opens an exception and a task; unknown (timeout) waits for a status query to decide.
 */
export function settleRefund(
  deps: LedgerDeps,
  input: { refundId: string; state: RefundOutcome; providerRefundId?: string; message?: string; actor: string },
): Promise<RefundRow> {
  const now = deps.clock.now();
  return deps.store.transaction(function* (tx) {
    const { refunds } = tx.t;
    const byId = () => tx.select().from(refunds).where(eq(refunds.id, input.refundId));
    const seen = yield* tx.get(byId());
    if (!seen) throw new ValidationError('refund_not_found', `No refund ${input.refundId}`);
    // The payment first, as every ledger transaction locks it (one lock order: no deadlock), then the refund as it is now.
    yield* loadPayment(tx, seen.paymentId, { lock: true });
    const refund = (yield* tx.get(byId()))!;
    if (refund.state === 'succeeded' || refund.state === 'failed') return refund;
    yield* tx.run(
      tx
        .update(refunds)
        .set({ state: input.state, providerRefundId: input.providerRefundId ?? null, error: input.message ?? null, updatedAt: now })
        .where(eq(refunds.id, refund.id)),
    );
    yield* recordRefundOutcome(tx, refund, { ...input, now });
    return (yield* tx.get(byId()))!;
  });
}

function* recordRefundOutcome(
  tx: Tx,
  refund: RefundRow,
  input: { state: RefundOutcome; message?: string; actor: string; now: number },
): Step<void> {
  const payment = yield* loadPayment(tx, refund.paymentId);
  const ctx = { payment, actor: input.actor, now: input.now, provider: (yield* loadAttempt(tx, refund.attemptId))?.provider };
  const { id: refundId, amountMinor } = refund;
  if (input.state === 'succeeded') {
    yield* commitDecision(tx, ctx, decideRefundSucceeded(paymentStateOf(payment), amountMinor, refundId));
  } else if (input.state === 'failed') {
    yield* recordEvents(tx, ctx, [{ type: 'refund_failed', refundId, amountMinor, message: input.message ?? null }]);
  } else {
    yield* recordEvents(tx, ctx, [{ type: 'refund_unknown', refundId, amountMinor }]);
  }
}
