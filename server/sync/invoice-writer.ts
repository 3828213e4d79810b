import type { CatalogElementPatch } from '../amocrm/endpoints/index.ts';
import { AmocrmError } from '../amocrm/errors.ts';
import type { Store } from '../db/store.ts';
import { invoicePaymentsOf } from '../invoices/invoice-payments-store.ts';
import { invoicePatch, invoiceTarget } from '../invoices/invoice-state.ts';
import { recordObservation } from '../observations/observation-store.ts';
import type { ClaimedJob } from './job-store.ts';
import type { InvoiceJobPayload } from './outbox.ts';
import { parsePayload, type JobWriter } from './writers.ts';

type Item = CatalogElementPatch & { catalogId: number };

/**
 * Invoice updates (docs/architecture.md, Invoices): one job per invoice, one PATCH item carrying
 * the state read from the ledger now, batched per invoices list. Idempotent, so retried after a
 * timeout like a lead update. Each answer is noted for doctor (`invoice_sync`).
 */
export function invoiceUpdateWriter(store: Store): JobWriter<Item> {
  const built = new WeakMap<ClaimedJob, Item>();
  return {
    kind: 'invoice_update',
    async prepare(_ctx, jobs) {
      const done: ClaimedJob[] = [];
      const send: ClaimedJob[] = [];
      for (const job of jobs) {
        const { invoiceId, catalogId } = parsePayload<InvoiceJobPayload>(job);
        const ours = invoiceId ? await store.run((tx) => invoicePaymentsOf(tx, job.row.accountId, invoiceId)) : [];
        const target = invoiceId ? invoiceTarget(ours.map((r) => r.payment)) : undefined;
        if (!target) {
          done.push(job);
          continue;
        }
        built.set(job, { ...invoicePatch(invoiceId, target), catalogId });
        send.push(job);
      }
      return { done, send };
    },
    item(_ctx, job, index) {
      return { ...built.get(job)!, request_id: String(index) };
    },
    async send(ctx, items) {
      const now = ctx.now;
      try {
        for (const catalogId of new Set(items.map((i) => i.catalogId))) {
          const batch = items.filter((i) => i.catalogId === catalogId).map(({ catalogId: _c, ...item }) => item);
          await ctx.account.amocrm.invoices.patch(catalogId, batch);
        }
        await store.transaction((tx) =>
          recordObservation(tx, ctx.account.accountId, 'invoice_sync', { lastOkAt: now, lastErrorCode: null }, now),
        );
      } catch (err) {
        const code = err instanceof AmocrmError ? err.code : 'error';
        await store.transaction((tx) =>
          recordObservation(tx, ctx.account.accountId, 'invoice_sync', { lastErrorAt: now, lastErrorCode: code }, now),
        );
        throw err;
      }
    },
  };
}
