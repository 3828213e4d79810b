import { expect } from 'chai';
import { harness, type Harness } from './helpers.ts';

describe('amocrm-emulator: the invoices list (catalog elements) and its PayWall stand-in', () => {
  let h: Harness;
  let lead: number;
  let catalogId: number;
  beforeEach(async () => {
    h = await harness();
    lead = h.emu.addLead(h.account.id, { price: 100 }).id;
    catalogId = h.emu.enableInvoices(h.account.id).id;
  });
  afterEach(() => h.emu.stop());

  it('names the invoices list in the account (with=invoices_settings) and in the catalogs list', async () => {
    const acc = await h.api('GET', '/api/v4/account?with=invoices_settings');
    expect(acc.json.invoices_settings.invoices_catalog_id).to.equal(catalogId);
    const list = await h.api('GET', '/api/v4/catalogs');
    expect(list.json._embedded.catalogs.map((c: { id: number; type: string }) => [c.id, c.type])).to.deep.equal([[catalogId, 'invoices']]);
  });

  it('serves an invoice with its system fields by code, its public link, and its lead', async () => {
    const inv = h.emu.addInvoice(h.account.id, { leadId: lead, items: [{ description: 'Chair', unit_price: 1500, quantity: 3 }] });
    const r = await h.api('GET', `/api/v4/catalogs/${catalogId}/elements/${inv.id}?with=invoice_link`);
    expect(r.status).to.equal(200);
    const codes = Object.fromEntries(
      r.json.custom_fields_values.map((f: { field_code: string; values: unknown[] }) => [f.field_code, f.values]),
    );
    expect(codes.BILL_STATUS[0]).to.include({ enum_code: 'created' });
    expect(codes.BILL_PRICE[0]).to.deep.equal({ value: 4500 });
    expect(codes.ITEMS[0].value).to.include({ description: 'Chair', total_sum: 4500 });
    expect(r.json.invoice_link).to.equal(h.emu.invoiceLink(h.account.id, inv.id));
    const links = await h.api('GET', `/api/v4/catalogs/${catalogId}/elements/${inv.id}/links`);
    expect(links.json._embedded.links[0]).to.include({ to_entity_id: lead, to_entity_type: 'leads' });
  });

  it('answers 404 for a deleted invoice, and 204 for the links of an invoice made from the list', async () => {
    const loose = h.emu.addInvoice(h.account.id, { price: 10 });
    expect((await h.api('GET', `/api/v4/catalogs/${catalogId}/elements/${loose.id}/links`)).status).to.equal(204);
    h.emu.deleteInvoice(h.account.id, loose.id);
    expect((await h.api('GET', `/api/v4/catalogs/${catalogId}/elements/${loose.id}`)).status).to.equal(404);
  });

  it('marks an invoice paid by enum_code with a payment date, all or nothing per batch', async () => {
    const inv = h.emu.addInvoice(h.account.id, { leadId: lead, price: 100 });
    const bad = await h.api('PATCH', `/api/v4/catalogs/${catalogId}/elements`, [
      { id: inv.id, custom_fields_values: [{ field_code: 'BILL_STATUS', values: [{ enum_code: 'paid' }] }] },
      { id: 999, custom_fields_values: [] },
    ]);
    expect(bad.status).to.equal(400);
    expect(h.emu.invoiceFieldValue(h.account.id, inv.id, 'BILL_STATUS')).to.equal('created');
    const good = await h.api('PATCH', `/api/v4/catalogs/${catalogId}/elements`, [
      {
        id: inv.id,
        custom_fields_values: [
          { field_code: 'BILL_STATUS', values: [{ enum_code: 'paid' }] },
          { field_code: 'BILL_PAYMENT_DATE', values: [{ value: 1_768_471_200 }] },
        ],
      },
    ]);
    expect(good.status).to.equal(200);
    expect(h.emu.invoiceFieldValue(h.account.id, inv.id, 'BILL_STATUS')).to.equal('paid');
    expect(h.emu.invoiceFieldValue(h.account.id, inv.id, 'BILL_PAYMENT_DATE')).to.equal(1_768_471_200);
  });

  it('shows the invoice page with one button per method, going to the registered address with the markers filled', async () => {
    const inv = h.emu.addInvoice(h.account.id, { leadId: lead, price: 250, name: 'Покупка #7' });
    h.emu.setPaywall({
      address: 'https://pay.example/paywall/:account_id/:invoice_id/:payment_method_code',
      methods: [{ code: 'idram', name: 'Idram' }],
    });
    const page = await (await fetch(h.emu.invoiceLink(h.account.id, inv.id))).text();
    expect(page).to.include('Покупка #7').and.include(`https://pay.example/paywall/${h.account.id}/${inv.id}/idram`);
  });
});
