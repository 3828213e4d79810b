import { expect } from 'chai';
import { auditEntries, exceptions, holdActions, syncJobs } from '../../../server/db/schema.ts';
import { reconcileOnce } from '../../../server/payments/reconciler.ts';
import { expectError, startWidgetFixture, type WidgetFixture } from '../widget-api/widget-fixture.ts';
import { FakeAmeriabank } from './support/fake-ameriabank.ts';
import { saveProvider } from '../../support/test-app.ts';

const CREDENTIALS = {
  clientId: '7d7c8a4e-3b62-4a3c-9a87-f1f0f5c2b8a1',
  username: '3d19541048',
  password: 'lazY2k',
  testOrderIdFrom: 2923001,
  testOrderIdTo: 2924000,
};

interface Held {
  paymentId: string;
  leadId: number;
  bankPaymentId: string;
  /** GET the customer's return (the bank's redirect to BackURL): the page's text. */
  comeBack(): Promise<string>;
}

/**
 * Two-stage Ameriabank through the real app (widget API, pay page, reconciler) with the bank faked
 * at the HTTP client seam: a hold is never paid; it is captured once (auto) or by an admin (manual),
 * and paid only when GetPaymentDetails reports the capture.
 */
describe('server/payments: two-stage holds, captured or voided (Ameriabank, faked at the HTTP seam)', function () {
  this.timeout(20_000);
  let f: WidgetFixture;
  let bank: FakeAmeriabank;
  afterEach(() => f.close());

  async function start(captureMode: 'auto' | 'manual' = 'auto', twoStage = true): Promise<Held> {
    f = await startWidgetFixture();
    bank = new FakeAmeriabank(twoStage);
    f.intercept = (req) => bank.handle(req);
    await saveProvider(f.t, f.accountId, {
      provider: 'ameriabank',
      enabled: true,
      mode: 'test',
      credentials: { ...CREDENTIALS, twoStage, captureMode },
    });
    const leadId = f.emu.addLead(f.accountId, { price: 10 }).id;
    const created = await f.api('POST', `/leads/${leadId}/payments`, {
      body: { amountMinor: 1000, currency: 'AMD', providers: ['ameriabank'] },
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const { payment } = created.body;
    const chosen = await fetch(`${payment.link}?lang=en`, {
      method: 'POST',
      body: new URLSearchParams({ provider: 'ameriabank' }),
      redirect: 'manual',
    });
    expect(chosen.status).to.equal(303);
    const bankPaymentId = bank.lastPaymentId;
    bank.customerPays(bankPaymentId);
    return {
      paymentId: payment.id,
      leadId,
      bankPaymentId,
      comeBack: async () => (await fetch(bank.returnUrl(bankPaymentId))).text(),
    };
  }

  const view = async (h: Held) => (await f.api('GET', `/leads/${h.leadId}/payments`)).body.payments[0];
  const count = (op: string) => bank.calls.filter((c) => c === op).length;
  const actions = () => f.t.db.select().from(holdActions).all();

  it('auto: the hold found on the customer’s return is confirmed once, and paid only when the bank reports the capture', async () => {
    const h = await start('auto');
    const page = await h.comeBack();
    expect(page).to.contain('Payment received');
    expect(count('ConfirmPayment')).to.equal(1);
    const p = await view(h);
    expect(p).to.include({ status: 'paid', crmStatus: 'paid', hold: null, paidAmountMinor: 1000 });
    expect(p.attempts[0].status).to.equal('paid');
    const trail = f.t.db
      .select()
      .from(auditEntries)
      .all()
      .map((a) => a.action);
    expect(trail).to.include.members(['authorized', 'capture_requested', 'paid']);
    expect(trail.indexOf('authorized')).to.be.below(trail.indexOf('paid'));
    // The reconciler later finds nothing to do: the automatic capture is never made twice.
    f.t.clock.advance(10 * 60_000);
    await reconcileOnce(f.t.app.services.payments, 50);
    expect(count('ConfirmPayment')).to.equal(1);
  });

  it('manual: a hold is shown (funds held, not paid, CRM awaiting payment) until an admin captures it; a manager may not', async () => {
    const h = await start('manual');
    expect(await h.comeBack()).to.contain('Your bank approved the payment');
    const held = await view(h);
    expect(held).to.include({ status: 'awaiting', crmStatus: 'awaiting_payment', paidAt: null });
    expect(held.hold).to.deep.include({ amountMinor: 1000, currency: 'AMD', captureMode: 'manual', attemptId: held.attempts[0].id });
    expect(count('ConfirmPayment')).to.equal(0);
    expectError(await f.api('POST', `/payments/${h.paymentId}/capture`, { body: {} }), 403, 'admin_only');

    const captured = await f.api('POST', `/payments/${h.paymentId}/capture`, { body: {}, admin: true });
    expect(captured.status, JSON.stringify(captured.body)).to.equal(200);
    expect(captured.body.payment).to.include({ status: 'paid', hold: null });
    expect(count('ConfirmPayment')).to.equal(1);
    expectError(await f.api('POST', `/payments/${h.paymentId}/capture`, { body: {}, admin: true }), 409, 'no_hold');
  });

  it('manual: Void releases the hold (CancelPayment); the link stays payable', async () => {
    const h = await start('manual');
    await h.comeBack();
    const voided = await f.api('POST', `/payments/${h.paymentId}/void`, { body: {}, admin: true });
    expect(voided.status, JSON.stringify(voided.body)).to.equal(200);
    expect(voided.body.payment).to.include({ status: 'awaiting', hold: null });
    expect(voided.body.payment.attempts[0].status).to.equal('cancelled');
    expect(count('CancelPayment')).to.equal(1);
  });

  it('a capture whose answer is lost is not retried: the status query settles it (captured → paid)', async () => {
    const h = await start('auto');
    bank.capture = 'lost_after';
    await h.comeBack();
    expect(count('ConfirmPayment')).to.equal(1);
    expect(await view(h)).to.include({ status: 'paid' });
    expect(actions().map((a) => [a.kind, a.state])).to.deep.equal([['capture', 'succeeded']]);
  });

  it('a lost capture the bank did not make: still held after the query, so a person decides (review with a task), with Capture offered', async () => {
    const h = await start('auto');
    bank.capture = 'lost_before';
    await h.comeBack();
    expect(count('ConfirmPayment')).to.equal(1);
    const p = await view(h);
    expect(p).to.include({ status: 'awaiting', crmStatus: 'manual_review' });
    expect(p.needsReview.reason).to.equal('capture_failed');
    expect(p.hold.captureMode).to.equal('manual');
    const open = f.t.db.select().from(exceptions).all();
    expect(open.map((x) => [x.kind, x.reason])).to.deep.equal([['needs_review', 'capture_failed']]);
    await reconcileOnce(f.t.app.services.payments, 50);
    expect(count('ConfirmPayment')).to.equal(1);
    // The admin captures by hand: now it goes through.
    bank.capture = 'ok';
    const captured = await f.api('POST', `/payments/${h.paymentId}/capture`, { body: {}, admin: true });
    expect(captured.body.payment.status).to.equal('paid');
  });

  it('a capture the bank refuses puts the payment in review; an admin’s refused capture answers 502 capture_failed', async () => {
    const h = await start('auto');
    bank.capture = 'refuse';
    await h.comeBack();
    expect((await view(h)).needsReview.reason).to.equal('capture_failed');
    const again = await f.api('POST', `/payments/${h.paymentId}/capture`, { body: {}, admin: true });
    expectError(again, 502, 'capture_failed');
    expect(again.body.error.details.payment.hold).to.not.equal(null);
  });

  it('cancelling a payment with a hold releases it at the bank (CancelPayment) and needs no review', async () => {
    const h = await start('manual');
    await h.comeBack();
    const cancelled = await f.api('POST', `/payments/${h.paymentId}/cancel`, { body: {} });
    expect(cancelled.status, JSON.stringify(cancelled.body)).to.equal(200);
    expect(cancelled.body.payment).to.include({ status: 'cancelled', hold: null, needsReview: null });
    expect(count('CancelPayment')).to.equal(1);
  });

  it('a payment arriving after a cancel still goes to review, with a task (paid_after_cancel)', async () => {
    const h = await start('auto', false);
    await f.api('POST', `/payments/${h.paymentId}/cancel`, { body: {} });
    // The customer paid on the bank page, still open after the cancel (one-stage: deposited at once).
    await h.comeBack();
    const p = await view(h);
    expect(p).to.include({ status: 'paid', crmStatus: 'manual_review' });
    expect(p.needsReview.reason).to.equal('paid_after_cancel');
    const tasks = f.t.db
      .select()
      .from(syncJobs)
      .all()
      .filter((j) => j.kind === 'task');
    expect(tasks.map((j) => JSON.parse(j.payload).event.reason)).to.deep.equal(['paid_after_cancel']);
  });

  it('a hold arriving after the payment was cancelled is released automatically, never captured', async () => {
    const h = await start('auto');
    await f.api('POST', `/payments/${h.paymentId}/cancel`, { body: {} });
    await h.comeBack();
    expect(count('ConfirmPayment')).to.equal(0);
    expect(count('CancelPayment')).to.equal(1);
    const p = await view(h);
    expect(p).to.include({ status: 'cancelled', hold: null, needsReview: null });
  });
});
