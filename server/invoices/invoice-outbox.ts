import type { Step } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';
import type { LedgerEvent } from '../payments/ledger-events.ts';
import type { PaymentRow } from '../payments/payment-state.ts';
import { queueInvoiceUpdate } from '../sync/outbox.ts';
import { invoiceOfPayment } from './invoice-payments-store.ts';

/** Events that change what an invoice should say (paid, or money given back). */
const MONEY_EVENTS: ReadonlySet<LedgerEvent['type']> = new Set(['paid', 'refunded', 'partially_refunded']);

/**
 * In the ledger's transaction: when money moved on a payment that pays an amoCRM invoice, the
 * invoice's update is queued with the lead's (docs/architecture.md, Invoices). Other payments pay
 * one indexed lookup, and only on money events.
 */
export function* queueInvoiceSync(tx: Tx, payment: PaymentRow, events: readonly LedgerEvent[], now: number): Step<void> {
  if (!events.some((e) => MONEY_EVENTS.has(e.type))) return;
  const invoice = yield* invoiceOfPayment(tx, payment.id);
  if (!invoice) return;
  yield* queueInvoiceUpdate(tx, { accountId: payment.accountId, leadId: payment.leadId, paymentId: payment.id, ...invoice, now });
}
