import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Step } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';
import type { PaymentRow } from '../payments/payment-state.ts';

/**
 * Which of our payments pay which amoCRM invoice (docs/architecture.md, Invoices): the only module
 * with SQL on `invoice_payments`. An invoice's payments are generations 1, 2, …; only the newest
 * may be live, and the unique generation makes two concurrent first clicks (on any instance) open one payment.
 */
export interface InvoicePaymentRow {
  payment: PaymentRow;
  invoiceId: number;
  catalogId: number;
  generation: number;
}

/** Every payment of an invoice, newest generation first. */
export function* invoicePaymentsOf(tx: Tx, accountId: number, invoiceId: number): Step<InvoicePaymentRow[]> {
  const { invoicePayments, payments } = tx.t;
  return yield* tx.all(
    tx
      .select({
        payment: payments,
        invoiceId: invoicePayments.invoiceId,
        catalogId: invoicePayments.catalogId,
        generation: invoicePayments.generation,
      })
      .from(invoicePayments)
      .innerJoin(payments, eq(payments.id, invoicePayments.paymentId))
      .where(and(eq(invoicePayments.accountId, accountId), eq(invoicePayments.invoiceId, invoiceId)))
      .orderBy(desc(invoicePayments.generation)),
  );
}

/**
 * Records a new payment as the invoice's generation `generation`; false (and nothing written)
 * when another request took that generation first.
 */
export function* claimInvoiceGeneration(
  tx: Tx,
  row: { paymentId: string; accountId: number; invoiceId: number; catalogId: number; generation: number; now: number },
): Step<boolean> {
  const { invoicePayments } = tx.t;
  const changed = yield* tx.run(
    tx
      .insert(invoicePayments)
      .values({
        paymentId: row.paymentId,
        accountId: row.accountId,
        invoiceId: row.invoiceId,
        catalogId: row.catalogId,
        generation: row.generation,
        createdAt: row.now,
      })
      .onConflictDoNothing(),
  );
  return changed === 1;
}

/** The invoice a payment pays, if any: asked on every money event, so compiled once. */
export function* invoiceOfPayment(tx: Tx, paymentId: string): Step<{ invoiceId: number; catalogId: number } | undefined> {
  const { invoicePayments } = tx.t;
  const statement = tx.prepared('invoicePayments.byPayment', () =>
    tx
      .select({ invoiceId: invoicePayments.invoiceId, catalogId: invoicePayments.catalogId })
      .from(invoicePayments)
      .where(eq(invoicePayments.paymentId, sql.placeholder('paymentId')))
      .prepare(),
  );
  return yield* tx.get(statement, { paymentId });
}

/** The invoices list this account's invoices were last found in (saves a lookup per PayWall visit). */
export function* lastKnownCatalogId(tx: Tx, accountId: number): Step<number | undefined> {
  const { invoicePayments } = tx.t;
  const row = yield* tx.get(
    tx
      .select({ catalogId: invoicePayments.catalogId })
      .from(invoicePayments)
      .where(eq(invoicePayments.accountId, accountId))
      .orderBy(desc(invoicePayments.createdAt))
      .limit(1),
  );
  return row?.catalogId;
}

/** Invoices whose payments took money or gave it back (local mode re-sends their state to a fresh emulator). */
export function* settledInvoices(tx: Tx, accountId: number): Step<Array<{ invoiceId: number; paymentId: string; leadId: number }>> {
  const { invoicePayments, payments } = tx.t;
  return yield* tx.all(
    tx
      .select({ invoiceId: invoicePayments.invoiceId, paymentId: payments.id, leadId: payments.leadId })
      .from(invoicePayments)
      .innerJoin(payments, eq(payments.id, invoicePayments.paymentId))
      .where(and(eq(invoicePayments.accountId, accountId), inArray(payments.status, ['paid', 'partially_refunded', 'refunded']))),
  );
}
