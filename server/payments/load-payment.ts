import { and, asc, eq, sql } from 'drizzle-orm';
import type { Step } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';
import { NotFoundError } from '../errors/app-error.ts';
import type { AttemptRow, PaymentRow } from './payment-state.ts';

export interface LoadOptions {
  /** The payment's account: another account's payment is not found either. */
  accountId?: number;
  /**
   * Locks the payment row until the transaction ends (PostgreSQL `SELECT … FOR UPDATE`): every
   * change to one payment, from whichever instance, then runs one after another and reads what the
   * one before it committed. SQLite's IMMEDIATE transaction already holds the only write lock.
   */
  lock?: boolean;
}

/** A payment of this account, or 404 `payment_not_found` (another account's payment is not found either). */
export function* loadPayment(tx: Tx, paymentId: string, opts: LoadOptions | number = {}): Step<PaymentRow> {
  const { accountId, lock } = typeof opts === 'number' ? { accountId: opts, lock: false } : opts;
  const name =
    accountId === undefined
      ? lock
        ? 'payment.byId.forUpdate'
        : 'payment.byId'
      : lock
        ? 'payment.byIdAndAccount.forUpdate'
        : 'payment.byIdAndAccount';
  const statement = tx.prepared(name, () => {
    // Built once per connection (Tx.prepared): nothing of it is rebuilt per call.
    const { payments } = tx.t;
    const byId = eq(payments.id, sql.placeholder('id'));
    const where = accountId === undefined ? byId : and(byId, eq(payments.accountId, sql.placeholder('accountId')));
    return (lock ? tx.forUpdate(tx.select().from(payments).where(where)) : tx.select().from(payments).where(where)).prepare();
  });
  const row = yield* tx.get(statement, { id: paymentId, accountId });
  if (!row)
    throw new NotFoundError(
      'payment_not_found',
      `No payment ${paymentId} in this account. Check the id; payments of other accounts are not visible.`,
    );
  return row;
}

export function* loadAttempts(tx: Tx, paymentId: string): Step<AttemptRow[]> {
  const { attempts } = tx.t;
  const statement = tx.prepared('attempts.byPayment', () =>
    tx
      .select()
      .from(attempts)
      .where(eq(attempts.paymentId, sql.placeholder('paymentId')))
      .orderBy(asc(attempts.seq))
      .prepare(),
  );
  return yield* tx.all(statement, { paymentId });
}

export function* loadAttempt(tx: Tx, attemptId: string): Step<AttemptRow | undefined> {
  const { attempts } = tx.t;
  const statement = tx.prepared('attempt.byId', () =>
    tx
      .select()
      .from(attempts)
      .where(eq(attempts.id, sql.placeholder('id')))
      .prepare(),
  );
  return yield* tx.get(statement, { id: attemptId });
}
