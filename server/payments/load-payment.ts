import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { attempts, payments } from '../db/schema.ts';
import { NotFoundError } from '../errors/app-error.ts';
import type { AttemptRow, PaymentRow } from './payment-state.ts';

type Reader = Pick<Db, 'select'>;

/** A payment of this account, or 404 `payment_not_found` (another account's payment is not found either). */
export function loadPayment(db: Reader, paymentId: string, accountId?: number): PaymentRow {
  const where = accountId === undefined ? eq(payments.id, paymentId) : and(eq(payments.id, paymentId), eq(payments.accountId, accountId));
  const row = db.select().from(payments).where(where).get();
  if (!row) throw new NotFoundError('payment_not_found', `No payment ${paymentId} in this account. Check the id; payments of other accounts are not visible.`);
  return row;
}

export function loadAttempts(db: Reader, paymentId: string): AttemptRow[] {
  return db.select().from(attempts).where(eq(attempts.paymentId, paymentId)).orderBy(asc(attempts.seq)).all();
}

export function loadAttempt(db: Reader, attemptId: string): AttemptRow | undefined {
  return db.select().from(attempts).where(eq(attempts.id, attemptId)).get();
}
