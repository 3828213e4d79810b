import { and, eq, inArray, sql } from 'drizzle-orm';
import { decideRefundSucceeded, refundableMinor } from '../../shared/transitions.ts';
import { isMoneyTaken, type PaymentStatus } from '../../shared/status.ts';
import { isValidAmountMinor } from '../../shared/money.ts';
import { refunds } from '../db/schema.ts';
import { ConflictError, ValidationError } from '../errors/app-error.ts';
import { commitDecision, recordEvents } from './commit-decision.ts';
import type { LedgerDeps } from './deps.ts';
import { newId } from './ids.ts';
import { loadAttempt, loadPayment } from './load-payment.ts';
import { paymentStateOf } from './payment-state.ts';

export type RefundRow = typeof refunds.$inferSelect;

/**
 * Step 1 of a refund: reserve it as `pending` (so two clicks cannot refund twice) before the
 * provider is called once, outside any transaction. Amount absent = everything not yet refunded.
 */
export function requestRefund(
  deps: LedgerDeps,
  input: { paymentId: string; accountId: number; amountMinor?: number; actor: string },
): RefundRow {
  const now = deps.clock.now();
  return deps.db.transaction(
    (tx) => {
      const payment = loadPayment(tx, input.paymentId, input.accountId);
      if (!isMoneyTaken(payment.status as PaymentStatus) || !payment.paidAttemptId) {
        throw new ConflictError('payment_not_paid', 'Only a paid payment can be refunded.');
      }
      const inFlight = tx
        .select({ n: sql<number>`coalesce(sum(${refunds.amountMinor}), 0)` })
        .from(refunds)
        .where(and(eq(refunds.paymentId, payment.id), inArray(refunds.state, ['pending', 'unknown'])))
        .get();
      const available = refundableMinor(paymentStateOf(payment)) - (inFlight?.n ?? 0);
      if (available <= 0) {
        throw new ConflictError(
          (inFlight?.n ?? 0) > 0 ? 'refund_in_progress' : 'nothing_to_refund',
          (inFlight?.n ?? 0) > 0
            ? 'A refund for this payment is still being settled; check its status before refunding more.'
            : 'Everything paid has already been refunded.',
        );
      }
      const amountMinor = input.amountMinor ?? available;
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
          {
            maxAmountMinor: available,
          },
        );
      }
      const row = tx
        .insert(refunds)
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
        .returning()
        .get();
      recordEvents(tx, { payment, actor: input.actor, now }, [
        { action: 'refund_requested', details: { refundId: row.id, amountMinor }, note: false },
      ]);
      return row;
    },
    { behavior: 'immediate' },
  );
}

/**
 * Step 2: the provider's answer. succeeded adds to the refunded total (partial or full);
 * failed opens an exception and a task; unknown (timeout) waits for a status query to decide.
 */
export function settleRefund(
  deps: LedgerDeps,
  input: { refundId: string; state: 'succeeded' | 'failed' | 'unknown'; providerRefundId?: string; message?: string; actor: string },
): RefundRow {
  const now = deps.clock.now();
  return deps.db.transaction(
    (tx) => {
      const refund = tx.select().from(refunds).where(eq(refunds.id, input.refundId)).get();
      if (!refund) throw new ValidationError('refund_not_found', `No refund ${input.refundId}`);
      if (refund.state === 'succeeded' || refund.state === 'failed') return refund;
      const payment = loadPayment(tx, refund.paymentId);
      const attempt = loadAttempt(tx, refund.attemptId);
      const provider = attempt?.provider;
      tx.update(refunds)
        .set({ state: input.state, providerRefundId: input.providerRefundId ?? null, error: input.message ?? null, updatedAt: now })
        .where(eq(refunds.id, refund.id))
        .run();
      if (input.state === 'succeeded') {
        commitDecision(
          tx,
          { payment, actor: input.actor, now, provider },
          decideRefundSucceeded(paymentStateOf(payment), refund.amountMinor, refund.id),
        );
      } else if (input.state === 'failed') {
        recordEvents(tx, { payment, actor: input.actor, now, provider }, [
          {
            action: 'refund_failed',
            details: { refundId: refund.id, amountMinor: refund.amountMinor, message: input.message ?? null },
            note: true,
            exception: { kind: 'refund_failed', reason: `refund_failed:${refund.id}` },
          },
        ]);
      } else {
        recordEvents(tx, { payment, actor: input.actor, now, provider }, [
          { action: 'refund_unknown', details: { refundId: refund.id, amountMinor: refund.amountMinor }, note: false },
        ]);
      }
      return tx.select().from(refunds).where(eq(refunds.id, refund.id)).get()!;
    },
    { behavior: 'immediate' },
  );
}
