import { eq, sql } from 'drizzle-orm';
import { ph } from '../db/placeholder.ts';
import type { Step } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';
import type { AttemptState, PaymentState } from './rules/state.ts';

/** Writes a payment's decided state (prepared once per connection: this runs for every notification). */
export function* writePaymentState(tx: Tx, paymentId: string, p: PaymentState, now: number): Step<void> {
  const { payments } = tx.t;
  const statement = tx.prepared('payment.updateState', () =>
    tx
      .update(payments)
      .set({
        status: ph('status'),
        paidAt: ph('paidAt'),
        paidAmountMinor: ph('paidAmountMinor'),
        paidAttemptId: ph('paidAttemptId'),
        providerRef: ph('providerRef'),
        refundedAmountMinor: ph('refundedAmountMinor'),
        reviewReason: ph('reviewReason'),
        reviewSince: ph('reviewSince'),
        updatedAt: ph('now'),
      })
      .where(eq(payments.id, sql.placeholder('id')))
      .prepare(),
  );
  yield* tx.run(statement, {
    id: paymentId,
    status: p.status,
    paidAt: p.paidAt,
    paidAmountMinor: p.paidAmountMinor,
    paidAttemptId: p.paidAttemptId,
    providerRef: p.providerRef,
    refundedAmountMinor: p.refundedAmountMinor,
    reviewReason: p.reviewReason,
    reviewSince: p.reviewSince,
    now,
  });
}

/** Writes an attempt's decided state, its flag included; a settled attempt needs no more status queries. */
export function* writeAttemptState(tx: Tx, a: AttemptState, now: number): Step<void> {
  const { attempts } = tx.t;
  const statement = tx.prepared('attempt.updateState', () =>
    tx
      .update(attempts)
      .set({
        status: ph('status'),
        rawStatus: ph('rawStatus'),
        flaggedReason: ph('flaggedReason'),
        flaggedRawStatus: ph('flaggedRawStatus'),
        providerPaymentId: ph('providerPaymentId'),
        heldAt: ph('heldAt'),
        captureMode: ph('captureMode'),
        // Open attempts (a hold included: it may be captured or released in the bank's cabinet) stay polled.
        nextCheckAt: sql`CASE WHEN ${ph('status')} IN ('created', 'pending', 'authorized') THEN ${attempts.nextCheckAt} ELSE NULL END`,
        updatedAt: ph('now'),
      })
      .where(eq(attempts.id, sql.placeholder('id')))
      .prepare(),
  );
  yield* tx.run(statement, {
    id: a.id,
    status: a.status,
    rawStatus: a.rawStatus,
    flaggedReason: a.flag?.reason ?? null,
    flaggedRawStatus: a.flag?.rawStatus ?? null,
    providerPaymentId: a.providerPaymentId,
    heldAt: a.heldAt,
    captureMode: a.captureMode,
    now,
  });
}
