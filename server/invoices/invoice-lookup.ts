import type { AccountContext } from '../accounts/account-context.ts';
import type { CatalogElement } from '../amocrm/endpoints/index.ts';
import type { Store } from '../db/store.ts';
import { lastKnownCatalogId } from './invoice-payments-store.ts';

/** The invoice and the list it is in, or null when amoCRM has no such invoice (deleted, or no invoices list). */
export type ReadInvoice = { element: CatalogElement; catalogId: number; foundBy: 'known' | 'lookup' } | null;

/**
 * Reads an invoice from the account's invoices list: the list this account's invoices were last
 * found in first (one request per PayWall visit), and when the invoice is not there, the list asked
 * of amoCRM again (the account may have a new one).
 */
export async function readInvoice(store: Store, ctx: AccountContext, invoiceId: number): Promise<ReadInvoice> {
  const known = await store.run((tx) => lastKnownCatalogId(tx, ctx.accountId));
  if (known !== undefined) {
    const element = await ctx.amocrm.invoices.get(known, invoiceId);
    if (element) return { element, catalogId: known, foundBy: 'known' };
  }
  const catalogId = await ctx.amocrm.invoices.catalogId();
  if (catalogId === null || catalogId === known) return null;
  const element = await ctx.amocrm.invoices.get(catalogId, invoiceId);
  return element ? { element, catalogId, foundBy: 'lookup' } : null;
}
