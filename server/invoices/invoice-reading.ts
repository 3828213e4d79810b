import { MAX_AMOUNT_MINOR, majorToMinor, type Currency } from '../../shared/money.ts';
import type { CatalogElement, CatalogFieldValue } from '../amocrm/endpoints/index.ts';

/**
 * An amoCRM invoice as the PayWall needs it (docs/architecture.md, Invoices), read from the element's
 * system fields by `field_code` (never by id: ids differ per account, and amoCRM says fields may be
 * removed from the interface, so each may be missing):
 * - `BILL_STATUS` by its stable enum code (`created`, `paid`, `paid_in_advance`, `partially_paid`);
 * - the total: `BILL_PRICE` ("the total to pay"), checked against the sum of `ITEMS[].total_sum`.
 *   amoCRM's PHP library warns that BILL_PRICE is stored as sent and recomputed from the items only
 *   when the invoice is edited in the interface: when both are there and disagree, the invoice is not
 *   charged (the customer is asked to contact the seller) rather than charged the wrong amount. An
 *   invoice without items (a free-price invoice) is paid by its BILL_PRICE alone.
 * The currency: amoCRM documents none per invoice (its PHP library parses an undocumented
 * `currency_id`); the account's default currency setting is used, and what came is noted for doctor.
 */
export interface InvoiceFacts {
  name: string | null;
  status: string | null;
  /** BILL_PRICE as stored, major units. */
  billPrice: number | string | undefined;
  /** Σ ITEMS[].total_sum, major units, or undefined when the invoice has no items. */
  itemsTotal: number | undefined;
  /** What amoCRM sent about the currency, if anything (for doctor). */
  currencyHint: string | null;
}

const field = (e: CatalogElement, code: string): CatalogFieldValue | undefined =>
  (e.custom_fields_values ?? []).find((f) => f.field_code === code);

export function invoiceFacts(e: CatalogElement): InvoiceFacts {
  const status = field(e, 'BILL_STATUS')?.values?.[0];
  const price = field(e, 'BILL_PRICE')?.values?.[0]?.value;
  const items = field(e, 'ITEMS')?.values ?? [];
  const sums = items.map((v) => (v.value && typeof v.value === 'object' ? (v.value as { total_sum?: unknown }).total_sum : undefined));
  const itemsTotal =
    sums.length && sums.every((s) => typeof s === 'number' && Number.isFinite(s))
      ? (sums as number[]).reduce((a, b) => a + b, 0)
      : undefined;
  const hint = e.currency ?? e.currency_id;
  return {
    name: e.name?.trim() || null,
    status: typeof status?.enum_code === 'string' ? status.enum_code : null,
    billPrice: typeof price === 'number' || typeof price === 'string' ? price : undefined,
    itemsTotal,
    currencyHint: hint === undefined || hint === null ? null : String(hint),
  };
}

export type InvoiceTotal = { ok: true; amountMinor: number } | { ok: false; reason: 'no_total' | 'invalid_total' | 'totals_disagree' };

/** The amount to charge in minor units, or why the invoice cannot be charged online. */
export function invoiceTotal(facts: InvoiceFacts, currency: Currency): InvoiceTotal {
  const toMinor = (v: number | string) => majorToMinor(typeof v === 'number' ? Math.round(v * 100) / 100 : v.trim(), currency);
  const price = facts.billPrice === undefined || facts.billPrice === '' ? undefined : toMinor(facts.billPrice);
  const items = facts.itemsTotal === undefined ? undefined : toMinor(facts.itemsTotal);
  if (facts.billPrice !== undefined && facts.billPrice !== '' && price === undefined) return { ok: false, reason: 'invalid_total' };
  const amount = price ?? items;
  if (amount === undefined) return { ok: false, reason: 'no_total' };
  if (amount <= 0 || amount > MAX_AMOUNT_MINOR) return { ok: false, reason: 'invalid_total' };
  if (price !== undefined && items !== undefined && price !== items) return { ok: false, reason: 'totals_disagree' };
  return { ok: true, amountMinor: amount };
}
