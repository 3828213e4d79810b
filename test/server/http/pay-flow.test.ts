import { expect } from 'chai';
import { renderNoteText } from '../../../server/sync/render/note-text.ts';
import { eq } from 'drizzle-orm';
import { attempts, payments, providerEvents, syncJobs } from '../../../server/db/schema.ts';
import { createPayment } from '../../../server/payments/create-payment.ts';
import { seedAccount, startTestApp, type TestApp } from '../../support/test-app.ts';

/** The whole customer loop through the real app: pay page → sandbox checkout → signed notification → ledger. */
describe('pay page with the sandbox provider', () => {
  let t: TestApp;
  let accountId: number;
  beforeEach(async () => {
    t = await startTestApp();
    accountId = await seedAccount(t);
  });
  afterEach(() => t.close());

  function newPayment(amountMinor = 150000) {
    return createPayment(t.app.services.ledger, {
      accountId,
      leadId: 55,
      amountMinor,
      currency: 'AMD',
      description: 'Deposit for order 55',
      providers: ['sandbox'],
      expiresInHours: 72,
      createdBy: 'user:7',
      publicUrl: t.url,
    });
  }

  async function payThroughSandbox(token: string, outcome: 'pay' | 'decline') {
    const chosen = await fetch(`${t.url}/pay/${token}`, {
      method: 'POST',
      body: new URLSearchParams({ provider: 'sandbox' }),
      redirect: 'manual',
    });
    expect(chosen.status).to.equal(303);
    const checkout = chosen.headers.get('location')!;
    expect(checkout).to.match(/\/sandbox\/checkout\//);
    const page = await fetch(checkout);
    expect(page.status).to.equal(200);
    const done = await fetch(`${checkout}/${outcome}`, { method: 'POST', redirect: 'manual' });
    expect(done.status).to.equal(303);
    await t.sandboxGateway!.idle();
    return done.headers.get('location')!;
  }

  it('shows the amount and one button per offered provider', async () => {
    const p = await newPayment();
    const res = await fetch(`${t.url}/pay/${p.linkToken}?lang=en`);
    expect(res.status).to.equal(200);
    const html = await res.text();
    expect(html).to.contain('1\u00a0500\u00a0AMD');
    expect(html).to.contain('Deposit for order 55');
    expect(html).to.contain('name="provider" value="sandbox"');
    expect(res.headers.get('content-security-policy')).to.contain("default-src 'none'");
  });

  it('answers an unknown token with a 404 page', async () => {
    const res = await fetch(`${t.url}/pay/AAAAAAAAAAAAAAAAAAAAAAAA`);
    expect(res.status).to.equal(404);
    expect(await res.text()).to.contain('<html');
  });

  it('marks the payment paid only from the signed notification, and the return page shows the verified result', async () => {
    const p = await newPayment();
    const back = await payThroughSandbox(p.linkToken, 'pay');
    const row = t.db.select().from(payments).where(eq(payments.id, p.id)).get()!;
    expect(row.status).to.equal('paid');
    expect(row.paidAmountMinor).to.equal(150000);
    const inbox = t.db.select().from(providerEvents).all();
    expect(inbox.filter((e) => e.kind === 'notification' && e.authenticated)).to.have.length(1);
    const notes = t.db.select().from(syncJobs).where(eq(syncJobs.kind, 'note')).all();
    expect(notes.map((n) => renderNoteText(JSON.parse(n.payload))).join('\n')).to.match(
      /The customer paid 1\u00a0500\u00a0AMD with the test sandbox/,
    );
    const returned = await fetch(back.startsWith('http') ? back : `${t.url}${back}`);
    expect(await returned.text()).to.match(/Payment received|Վճարումը ստացված է|Оплата получена/);
  });

  it('says "already paid" on a paid link and opens no new provider session', async () => {
    const p = await newPayment();
    await payThroughSandbox(p.linkToken, 'pay');
    const before = t.db.select().from(attempts).all().length;
    const page = await fetch(`${t.url}/pay/${p.linkToken}?lang=en`);
    expect(await page.text()).to.contain('already been made');
    const again = await fetch(`${t.url}/pay/${p.linkToken}?lang=en`, {
      method: 'POST',
      body: new URLSearchParams({ provider: 'sandbox' }),
      redirect: 'manual',
    });
    expect(again.status).to.equal(200);
    expect(await again.text()).to.contain('already been made');
    expect(t.db.select().from(attempts).all().length).to.equal(before);
  });

  it('keeps the link payable after a declined attempt and reuses nothing that failed', async () => {
    const p = await newPayment();
    await payThroughSandbox(p.linkToken, 'decline');
    expect(t.db.select().from(payments).where(eq(payments.id, p.id)).get()!.status).to.equal('failed');
    await payThroughSandbox(p.linkToken, 'pay');
    const row = t.db.select().from(payments).where(eq(payments.id, p.id)).get()!;
    expect(row.status).to.equal('paid');
    expect(t.db.select().from(attempts).where(eq(attempts.paymentId, p.id)).all()).to.have.length(2);
  });

  it('reuses a live pending session instead of opening a second one on a double click', async () => {
    const p = await newPayment();
    const first = await fetch(`${t.url}/pay/${p.linkToken}`, {
      method: 'POST',
      body: new URLSearchParams({ provider: 'sandbox' }),
      redirect: 'manual',
    });
    const second = await fetch(`${t.url}/pay/${p.linkToken}`, {
      method: 'POST',
      body: new URLSearchParams({ provider: 'sandbox' }),
      redirect: 'manual',
    });
    expect(second.headers.get('location')).to.equal(first.headers.get('location'));
    expect(t.db.select().from(attempts).all()).to.have.length(1);
  });

  it('says a link has expired once its lifetime is over', async () => {
    const p = await newPayment();
    t.clock.advance(73 * 3_600_000);
    const res = await fetch(`${t.url}/pay/${p.linkToken}?lang=en`);
    expect(res.status).to.equal(410);
    expect(await res.text()).to.contain('expired');
  });
});

describe('pay page languages', () => {
  it('brings the customer back to the return page in the language they chose', async () => {
    const t = await startTestApp();
    try {
      const accountId = await seedAccount(t);
      const p = await createPayment(t.app.services.ledger, {
        accountId,
        leadId: 1,
        amountMinor: 1000,
        currency: 'AMD',
        providers: ['sandbox'],
        expiresInHours: 1,
        createdBy: 'user:1',
        publicUrl: t.url,
      });
      const chosen = await fetch(`${t.url}/pay/${p.linkToken}?lang=ru`, {
        method: 'POST',
        body: new URLSearchParams({ provider: 'sandbox' }),
        redirect: 'manual',
      });
      const done = await fetch(`${chosen.headers.get('location')}/pay`, { method: 'POST', redirect: 'manual' });
      await t.sandboxGateway!.idle();
      const back = await fetch(done.headers.get('location')!);
      expect(await back.text()).to.contain('Оплата получена');
    } finally {
      await t.close();
    }
  });
});

describe('pay page when a provider is misconfigured', () => {
  it('shows the customer a page saying the provider is unavailable, not a JSON error', async () => {
    const t = await startTestApp();
    try {
      const accountId = await seedAccount(t, { providers: { ameriabank: { clientId: 'c' } } });
      const p = await createPayment(t.app.services.ledger, {
        accountId,
        leadId: 1,
        amountMinor: 1000,
        currency: 'AMD',
        providers: ['ameriabank'],
        expiresInHours: 1,
        createdBy: 'user:1',
        publicUrl: t.url,
      });
      const res = await fetch(`${t.url}/pay/${p.linkToken}?lang=en`, {
        method: 'POST',
        body: new URLSearchParams({ provider: 'ameriabank' }),
        redirect: 'manual',
      });
      expect(res.status).to.equal(503);
      expect(res.headers.get('content-type')).to.match(/^text\/html/);
      expect(await res.text()).to.contain('The payment provider is unavailable');
    } finally {
      await t.close();
    }
  });
});
