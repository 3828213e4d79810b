import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { refunds } from '../../../server/db/schema.ts';
import { HttpTransportError } from '../../../server/platform/http-client.ts';
import { sandboxAuthHeader } from '../../../server/providers/sandbox/api-key.ts';
import { expectError, payThroughSandbox, startWidgetFixture, type WidgetFixture } from './widget-fixture.ts';

describe('widget API: refunds', () => {
  let f: WidgetFixture;
  let leadId: number;
  beforeEach(async () => {
    f = await startWidgetFixture();
    leadId = f.emu.addLead(f.accountId, { price: 100 }).id;
  });
  afterEach(() => f.close());

  async function paidPayment(amountMinor = 10000): Promise<{ id: string; link: string }> {
    const p = (await f.api('POST', `/leads/${leadId}/payments`, { body: { amountMinor } })).body.payment;
    await payThroughSandbox(f, p.link);
    return p;
  }
  const refund = (id: string, body: unknown = {}, admin = true) => f.api('POST', `/payments/${id}/refunds`, { body, admin });

  it('refunds part, then the rest, through the sandbox gateway: partial_refund then full_refund', async () => {
    const p = await paidPayment(10000);
    const partial = await refund(p.id, { amountMinor: 4000 });
    expect(partial.status, JSON.stringify(partial.body)).to.equal(201);
    expect(partial.body.refund).to.include({ amountMinor: 4000, state: 'succeeded' });
    expect(partial.body.payment).to.include({ status: 'partially_refunded', crmStatus: 'partial_refund', refundedAmountMinor: 4000 });
    expect(partial.body.payment.history.map((h: { action: string }) => h.action).slice(-2)).to.deep.equal([
      'refund_requested',
      'partially_refunded',
    ]);
    expect(partial.body.payment.history.at(-1).actor).to.equal(`user:${f.adminId}`);

    const rest = await refund(p.id, {});
    expect(rest.status, JSON.stringify(rest.body)).to.equal(201);
    expect(rest.body.refund).to.include({ amountMinor: 6000, state: 'succeeded' });
    expect(rest.body.payment).to.include({ status: 'refunded', crmStatus: 'full_refund', refundedAmountMinor: 10000 });

    // The gateway's own "refunded" notifications, arriving after, change nothing.
    await f.t.sandboxGateway!.idle();
    const list = await f.api('GET', `/leads/${leadId}/payments`);
    expect(list.body.payments[0]).to.include({ status: 'refunded', refundedAmountMinor: 10000 });
    const rows = f.t.db.select().from(refunds).where(eq(refunds.paymentId, p.id)).all();
    expect(rows.map((r) => [r.amountMinor, r.state, r.source])).to.deep.equal([
      [4000, 'succeeded', 'manager'],
      [6000, 'succeeded', 'manager'],
    ]);
  });

  it('refuses more than paid minus refunded, and calls the provider for nothing', async () => {
    const p = await paidPayment(10000);
    await refund(p.id, { amountMinor: 7000 });
    const over = await refund(p.id, { amountMinor: 3001 });
    expectError(over, 400, 'refund_amount_too_large');
    expect(over.body.error.details).to.deep.equal({ maxAmountMinor: 3000 });
    expect(f.t.db.select().from(refunds).where(eq(refunds.paymentId, p.id)).all()).to.have.length(1);
  });

  it('refuses a refund of a fully refunded payment (409 nothing_to_refund)', async () => {
    const p = await paidPayment(10000);
    await refund(p.id, {});
    expectError(await refund(p.id, {}), 409, 'nothing_to_refund');
  });

  it('refuses a refund of an unpaid payment (409 payment_not_paid)', async () => {
    const p = (await f.api('POST', `/leads/${leadId}/payments`, { body: { amountMinor: 1000 } })).body.payment;
    expectError(await refund(p.id, {}), 409, 'payment_not_paid');
  });

  it("is for administrators only (403 admin_only), and a manager's attempt changes nothing", async () => {
    const p = await paidPayment(10000);
    expectError(await refund(p.id, { amountMinor: 100 }, false), 403, 'admin_only');
    expect(f.t.db.select().from(refunds).all()).to.have.length(0);
  });

  it('validates the amount (invalid_body naming amountMinor)', async () => {
    const p = await paidPayment(10000);
    for (const amountMinor of [0, -5, 10.5, '100']) {
      const res = await refund(p.id, { amountMinor });
      expectError(res, 400, 'invalid_body');
      expect(res.body.error.details.fields[0].field).to.equal('amountMinor');
    }
    expectError(await refund(p.id, { amountMinor: 100, reason: 'x' }), 400, 'invalid_body');
  });

  it('records a refund the gateway refused as failed, with an exception, and answers 502 refund_failed', async () => {
    const p = await paidPayment(10000);
    // The customer got money back in the gateway's cabinet meanwhile: the gateway refuses ours.
    const session = (await f.api('GET', `/leads/${leadId}/payments`)).body.payments[0].attempts[0].providerPaymentId as string;
    const secret = (await f.t.app.services.providers.get(f.accountId, 'sandbox'))!.credentials.webhookSecret as string;
    f.dropWebhooks = true;
    const direct = await fetch(`${f.t.url}/sandbox/api/sessions/${session}/refunds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...sandboxAuthHeader(secret, f.accountId) },
      body: JSON.stringify({ amountMinor: 10000, refundId: 'cabinet-1' }),
    });
    expect(direct.status).to.equal(201);
    const res = await refund(p.id, { amountMinor: 5000 });
    expectError(res, 502, 'refund_failed');
    expect(res.body.error.details.refund).to.include({ amountMinor: 5000, state: 'failed' });
    expect(res.body.error.details.payment.refundedAmountMinor).to.equal(0);
    const exceptions = await f.api('GET', '/exceptions');
    expect(exceptions.body.exceptions.map((e: { kind: string; paymentId: string }) => [e.kind, e.paymentId])).to.deep.equal([
      ['refund_failed', p.id],
    ]);
  });

  it('settles a refund whose answer never came as unknown, calls the provider once, and keeps it reserved against the refundable amount', async () => {
    const p = await paidPayment(10000);
    let calls = 0;
    f.intercept = (req) => {
      if (!/\/refunds$/.test(req.url)) return undefined;
      calls++;
      return Promise.reject(new HttpTransportError('timeout of 10000ms exceeded', 'ECONNABORTED', true));
    };
    const res = await refund(p.id, { amountMinor: 4000 });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.refund).to.include({ amountMinor: 4000, state: 'unknown' });
    expect(res.body.payment).to.include({ status: 'paid', refundedAmountMinor: 0 });
    expect(res.body.payment.history.at(-1).action).to.equal('refund_unknown');
    expect(calls).to.equal(1);
    const more = await refund(p.id, { amountMinor: 6001 });
    expectError(more, 400, 'refund_amount_too_large');
    expect(more.body.error.details).to.deep.equal({ maxAmountMinor: 6000 });
    expect(calls).to.equal(1);
  });
});
