import { saveProvider } from '../../support/test-app.ts';
import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { refundPayment } from '../../../server/widget-api/refund-payment.ts';
import { installWithSandbox, startEmulatedApp, type EmulatedApp } from '../amocrm/support/emulated-app.ts';
import { describeStores } from '../../support/stores.ts';

const WEBHOOK_SECRET = 'whsec_dGVzdC1zZWNyZXQtZm9yLXNhbmRib3g=';

/**
 * Acquiring for amoCRM invoices end to end: amoCRM's invoice page sends the customer to
 * /paywall/:accountId/:invoiceId/:methodCode on the real server, which reads the invoice from the
 * emulated amoCRM, opens the invoice's one payment and hands the customer to the sandbox provider;
 * once paid, the invoice turns paid in amoCRM and its lead follows. Every case amoCRM's moderators
 * try is a page in the customer's language.
 */
describeStores('PayWall: paying amoCRM invoices, through the amoCRM emulator', (kind) => {
  let e: EmulatedApp;
  let accountId: number;
  let lead: number;

  beforeEach(async () => {
    e = await startEmulatedApp({ store: kind });
    accountId = await installWithSandbox(e);
    await saveProvider(e.t, accountId, {
      provider: 'sandbox',
      enabled: true,
      mode: 'test',
      credentials: { webhookSecret: WEBHOOK_SECRET },
    });
    e.emu.enableInvoices(accountId);
    lead = e.emu.addLead(accountId, { price: 100 }).id;
  });
  afterEach(() => e.close());

  const open = (invoiceId: number, method = 'sandbox', lang = 'en', account = accountId) =>
    fetch(`${e.t.url}/paywall/${account}/${invoiceId}/${method}?lang=${lang}`, { redirect: 'manual' });
  const invoicePaymentsOf = (invoiceId: number) => {
    const { invoicePayments, payments } = e.t.db.t;
    return e.t.db
      .select()
      .from(invoicePayments)
      .innerJoin(payments, eq(payments.id, invoicePayments.paymentId))
      .where(eq(invoicePayments.invoiceId, invoiceId));
  };

  async function pay(invoiceId: number): Promise<void> {
    const res = await open(invoiceId);
    expect(res.status).to.equal(303);
    const checkout = res.headers.get('location')!;
    expect(checkout).to.match(/\/sandbox\/checkout\//);
    const done = await fetch(`${checkout}/pay`, { method: 'POST', redirect: 'manual' });
    expect(done.status).to.equal(303);
    await e.t.sandboxGateway!.idle();
    await e.t.app.services.syncWorker.runOnce();
  }

  it('opens one payment for the invoice (a second visit reuses its session), and on payment marks the invoice paid with its date and syncs its lead', async () => {
    const inv = e.emu.addInvoice(accountId, {
      leadId: lead,
      name: 'Покупка #11',
      items: [{ description: 'Chair', unit_price: 1500, quantity: 3 }],
    });
    const first = await open(inv.id);
    const second = await open(inv.id);
    expect([first.status, second.status]).to.deep.equal([303, 303]);
    expect(second.headers.get('location')).to.equal(first.headers.get('location'));
    const rows = await invoicePaymentsOf(inv.id);
    expect(rows).to.have.length(1);
    expect(rows[0].payments).to.include({ leadId: lead, amountMinor: 450000, currency: 'AMD', description: 'Покупка #11' });
    await pay(inv.id);
    expect(e.emu.invoiceFieldValue(accountId, inv.id, 'BILL_STATUS')).to.equal('paid');
    expect(e.emu.invoiceFieldValue(accountId, inv.id, 'BILL_PAYMENT_DATE')).to.equal(Math.floor(e.clock.now() / 1000));
    expect(e.emu.leadFieldValue(accountId, lead, 'DRAMLINK_STATUS')).to.match(/paid|Paid/i);
    const notes = e.emu.notes(accountId, lead).map((n) => String(n.params.text));
    expect(notes.some((t) => /invoice page.*Покупка #11/.test(t))).to.equal(true);
    const again = await open(inv.id);
    expect(again.status).to.equal(200);
    expect(await again.text()).to.include('already been made');
  });

  it('answers every moderation case with a page in the customer’s language, and no internals', async () => {
    const deleted = e.emu.addInvoice(accountId, { leadId: lead, price: 100 });
    e.emu.deleteInvoice(accountId, deleted.id);
    const zero = e.emu.addInvoice(accountId, { leadId: lead, price: 0 });
    const noTotal = e.emu.addInvoice(accountId, { leadId: lead, price: null });
    const disagree = e.emu.addInvoice(accountId, { leadId: lead, price: 999, items: [{ description: 'x', unit_price: 10, quantity: 1 }] });
    const fine = e.emu.addInvoice(accountId, { leadId: lead, price: 50 });
    const cases: Array<[Response, number, RegExp]> = [
      [await open(deleted.id, 'sandbox', 'ru'), 404, /Счёт не найден.*обратитесь к продавцу/s],
      [await open(fine.id, 'sandbox', 'en', 999_999), 404, /Invoice not found/],
      [await open(zero.id), 409, /cannot be paid online/],
      [await open(noTotal.id), 409, /cannot be paid online/],
      [await open(disagree.id, 'sandbox', 'hy'), 409, /Այս հաշիվը հնարավոր չէ վճարել առցանց/],
      [await open(fine.id, 'idram'), 400, /payment method is not available/],
      [await open(fine.id, 'bad-method'), 400, /payment method is not available/],
      [await open(0, 'sandbox'), 404, /Invoice not found/],
    ];
    for (const [res, status, text] of cases) {
      expect(res.status, text.source).to.equal(status);
      const html = await res.text();
      expect(html, text.source).to.match(text);
      expect(html).to.not.match(/amocrm_|Error:|at \w+ \(|catalog|BILL_/);
    }
    expect(await e.t.db.select().from(e.t.db.t.payments)).to.have.length(0);
  });

  it('says "not found" for an account whose integration was removed', async () => {
    const inv = e.emu.addInvoice(accountId, { leadId: lead, price: 100 });
    const { accounts } = e.t.db.t;
    await e.t.db.update(accounts).set({ state: 'disconnected' }).where(eq(accounts.id, accountId));
    const res = await open(inv.id);
    expect(res.status).to.equal(404);
    expect(await res.text()).to.include('Invoice not found');
  });

  it('pays a free-price invoice (no items) and an invoice made from the list (no lead), marking it paid', async () => {
    const loose = e.emu.addInvoice(accountId, { price: 75, name: 'Счёт без сделки' });
    await pay(loose.id);
    const [row] = await invoicePaymentsOf(loose.id);
    expect(row.payments).to.include({ leadId: 0, amountMinor: 7500, status: 'paid' });
    expect(e.emu.invoiceFieldValue(accountId, loose.id, 'BILL_STATUS')).to.equal('paid');
  });

  it('opens one payment for two first visits at once', async () => {
    const inv = e.emu.addInvoice(accountId, { leadId: lead, price: 100 });
    const answers = await Promise.all([open(inv.id), open(inv.id), open(inv.id)]);
    expect(answers.map((a) => a.status)).to.deep.equal([303, 303, 303]);
    expect(await invoicePaymentsOf(inv.id)).to.have.length(1);
  });

  it('cancels the live payment and opens a new one when the invoice total changed', async () => {
    const inv = e.emu.addInvoice(accountId, { leadId: lead, price: 100 });
    await open(inv.id);
    const { invoices } = (await e.t.app.services.accounts.load(accountId))!.amocrm;
    await invoices.patch(inv.catalog_id, [{ id: inv.id, custom_fields_values: [{ field_code: 'BILL_PRICE', values: [{ value: 120 }] }] }]);
    await open(inv.id);
    const rows = (await invoicePaymentsOf(inv.id)).map((r) => [r.invoice_payments.generation, r.payments.amountMinor, r.payments.status]);
    expect(rows.sort()).to.deep.equal([
      [1, 10000, 'cancelled'],
      [2, 12000, 'awaiting'],
    ]);
  });

  it('keeps a partly refunded invoice paid, and puts a fully refunded one back to created; its page then says refunded', async () => {
    const inv = e.emu.addInvoice(accountId, { leadId: lead, price: 100 });
    await pay(inv.id);
    const [{ payments: p }] = await invoicePaymentsOf(inv.id);
    await refundPayment(e.t.app.services, { paymentId: p.id, accountId, amountMinor: 4000, actor: 'user:1' });
    await e.t.sandboxGateway!.idle();
    await e.t.app.services.syncWorker.runOnce();
    expect(e.emu.invoiceFieldValue(accountId, inv.id, 'BILL_STATUS')).to.equal('paid');
    await refundPayment(e.t.app.services, { paymentId: p.id, accountId, actor: 'user:1' });
    await e.t.sandboxGateway!.idle();
    e.clock.advance(1_000);
    await e.t.app.services.syncWorker.runOnce();
    expect(e.emu.invoiceFieldValue(accountId, inv.id, 'BILL_STATUS')).to.equal('created');
    expect(e.emu.invoiceFieldValue(accountId, inv.id, 'BILL_PAYMENT_DATE')).to.equal(undefined);
    const page = await open(inv.id);
    expect(page.status).to.equal(410);
    expect(await page.text()).to.include('This invoice was refunded');
  });
});
