import type { InvoiceBook } from './invoices.ts';
import type { EmuCatalogElement, PaywallSetup } from './types.ts';

const esc = (v: unknown) =>
  String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Where the emulator serves an invoice's public page (the element's `invoice_link`). */
export function invoiceLinkOf(baseUrl: string, accountId: number, invoiceId: number): string {
  return `${baseUrl}/__emulator/paywall/${accountId}/${invoiceId}`;
}

export function paywallAddress(setup: PaywallSetup, accountId: number, invoiceId: number, method: string): string {
  return setup.address
    .replace(':account_id', String(accountId))
    .replace(':invoice_id', String(invoiceId))
    .replace(':payment_method_code', encodeURIComponent(method));
}

export function paywallPage(
  invoices: InvoiceBook,
  setup: PaywallSetup | undefined,
  e: EmuCatalogElement | undefined,
): { status: number; html: string } {
  if (!e) return { status: 404, html: page('Счёт не найден', '<p>Счёт не найден.</p>') };
  const status = invoices.fieldValue(e, 'BILL_STATUS');
  const price = invoices.fieldValue(e, 'BILL_PRICE');
  const methods = setup?.methods ?? [];
  const buttons = methods
    .map(
      (m) =>
        `<li><a class="method" data-method="${esc(m.code)}" href="${esc(paywallAddress(setup!, e.account_id, e.id, m.code))}">${esc(m.name)}</a></li>`,
    )
    .join('');
  const body = `<h1>${esc(e.name)}</h1>
<p>Итого к оплате: <strong data-total>${esc(price ?? '—')}</strong></p>
<p>Статус: <span data-status>${esc(status)}</span></p>
${status === 'paid' ? '<p>Счёт оплачен.</p>' : `<h2>Способ оплаты</h2><ul>${buttons || '<li>Нет способов оплаты</li>'}</ul>`}`;
  return { status: 200, html: page(e.name, body) };
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>${esc(title)} · amoCRM (emulated PayWall)</title></head><body><main>${body}<p><small>amoCRM emulator: a stand-in for the invoice page (PayWall)</small></p></main></body></html>`;
}
