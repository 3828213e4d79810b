import { and, desc, eq } from 'drizzle-orm';
import type { Step } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';
import type { PaymentRow } from './payment-state.ts';

/** A lead's payments, newest first (what automation looks at before it makes another link). */
export function* leadPaymentsNewestFirst(tx: Tx, accountId: number, leadId: number): Step<PaymentRow[]> {
  const { payments } = tx.t;
  return yield* tx.all(
    tx
      .select()
      .from(payments)
      .where(and(eq(payments.accountId, accountId), eq(payments.leadId, leadId)))
      .orderBy(desc(payments.createdAt), desc(payments.id)),
  );
}
