import type { CatalogElementPatch } from '../amocrm/endpoints/index.ts';
import type { PaymentRow } from '../payments/payment-state.ts';

/**
 * What an amoCRM invoice should say, from our payments of it (docs/architecture.md, Invoices):
 * - paid (`BILL_STATUS` enum code `paid`, `BILL_PAYMENT_DATE` the day it was paid) while a payment
 *   of it holds the customer's money: paid, or partly refunded (the invoice was paid; what went back
 *   is in the lead's note and its DRAMLINK_STATUS "partial refund");
 * - back to `created` with no payment date once everything paid was refunded: the money is the
 *   customer's again, so amoCRM must not count the invoice as paid. amoCRM has no "refunded" status,
 *   and its "invoice paid" trigger, already fired, is not fired again. The PayWall then says the
 *   invoice was refunded and opens no new payment: the seller issues a new invoice to charge again;
 * - nothing to write while no payment took money (awaiting, failed, expired, cancelled): amoCRM's
 *   own status (which a manager may have set by hand) is left alone.
 */
export type InvoiceTarget = { status: 'paid'; paidAt: number } | { status: 'created'; paidAt: null };

export function invoiceTarget(payments: readonly Pick<PaymentRow, 'status' | 'paidAt'>[]): InvoiceTarget | undefined {
  const holding = payments.find((p) => (p.status === 'paid' || p.status === 'partially_refunded') && p.paidAt !== null);
  if (holding) return { status: 'paid', paidAt: holding.paidAt! };
  if (payments.some((p) => p.status === 'refunded')) return { status: 'created', paidAt: null };
  return undefined;
}

/**
 * The PATCH item: fields by code, the status by its stable enum code (names can be renamed in the
 * account; the codes `created` and `paid` are system statuses that cannot be deleted). The date is
 * Unix seconds (amoCRM's date fields take a timestamp or RFC 3339); null clears it.
 */
export function invoicePatch(invoiceId: number, target: InvoiceTarget): CatalogElementPatch {
  return {
    id: invoiceId,
    custom_fields_values: [
      { field_code: 'BILL_STATUS', values: [{ enum_code: target.status }] },
      { field_code: 'BILL_PAYMENT_DATE', values: target.paidAt === null ? null : [{ value: Math.floor(target.paidAt / 1000) }] },
    ],
  };
}
