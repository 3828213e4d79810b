import { and, asc, eq, sql } from 'drizzle-orm';
import { prepared } from '../db/prepared.ts';
import { attempts, payments } from '../db/schema.ts';
import type { Tx } from '../db/tx.ts';
import { NotFoundError } from '../errors/app-error.ts';
import type { AttemptRow, PaymentRow } from './payment-state.ts';

/** A payment of this account, or 404 `payment_not_found` (another account's payment is not found either). */
export function loadPayment(db: Tx, paymentId: string, accountId?: number): PaymentRow {
  const row =
    accountId === undefined
      ? prepared(db, 'payment.byId', () =>
          db
            .select()
            .from(payments)
            .where(eq(payments.id, sql.placeholder('id')))
            .prepare(),
        ).get({ id: paymentId })
      : prepared(db, 'payment.byIdAndAccount', () =>
          db
            .select()
            .from(payments)
            .where(and(eq(payments.id, sql.placeholder('id')), eq(payments.accountId, sql.placeholder('accountId'))))
            .prepare(),
        ).get({ id: paymentId, accountId });
  if (!row)
    throw new NotFoundError(
      'payment_not_found',
      `No payment ${paymentId} in this account. Check the id; payments of other accounts are not visible.`,
    );
  return row;
}

export function loadAttempts(db: Tx, paymentId: string): AttemptRow[] {
  return prepared(db, 'attempts.byPayment', () =>
    db
      .select()
      .from(attempts)
      .where(eq(attempts.paymentId, sql.placeholder('paymentId')))
      .orderBy(asc(attempts.seq))
      .prepare(),
  ).all({ paymentId });
}

export function loadAttempt(db: Tx, attemptId: string): AttemptRow | undefined {
  return prepared(db, 'attempt.byId', () =>
    db
      .select()
      .from(attempts)
      .where(eq(attempts.id, sql.placeholder('id')))
      .prepare(),
  ).get({ id: attemptId });
}
