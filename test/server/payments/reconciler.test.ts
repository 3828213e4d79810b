import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import nock from 'nock';
import { createPayment } from '../../../server/payments/create-payment.ts';
import { openAttempt, recordSessionCreated } from '../../../server/payments/open-attempt.ts';
import { CHECK_BACKOFF_MS } from '../../../server/payments/reconciler.ts';
import { seedAccount, startTestApp, type TestApp } from '../../support/test-app.ts';
import { describeStores } from '../../support/stores.ts';

const ARCA = 'https://ipaytest.arca.am:8445';

describeStores('reconciler', (kind) => {
  let t: TestApp;
  let accountId: number;
  beforeEach(async () => {
    t = await startTestApp({ store: kind });
    accountId = await seedAccount(t, { providers: { arca: { userName: 'u', password: 'p' } } });
  });
  afterEach(async () => {
    nock.cleanAll();
    await t.close();
  });

  async function pendingArcaAttempt(expiresInHours = 72) {
    const p = await createPayment(t.app.services.ledger, {
      accountId,
      leadId: 5,
      amountMinor: 5000,
      currency: 'AMD',
      providers: ['arca'],
      expiresInHours,
      createdBy: 'user:1',
      publicUrl: t.url,
    });
    const a = await openAttempt(t.app.services.ledger, { paymentId: p.id, provider: 'arca', orderNo: (c) => `drl${c}` });
    await recordSessionCreated(t.app.services.ledger, {
      attemptId: a.id,
      providerPaymentId: 'md-1',
      redirect: { method: 'GET', url: 'https://x' },
      sessionExpiresAt: t.clock.now() + 1_200_000,
    });
    return { p, a };
  }
  const status = (orderStatus: number, orderNumber: string) =>
    nock(ARCA)
      .post('/payment/rest/getOrderStatusExtended.do')
      .reply(200, { errorCode: '0', orderStatus, orderNumber, amount: 5000, currency: '051' });

  it('does not query a pending attempt before its first check is due', async () => {
    await pendingArcaAttempt();
    const report = await t.app.services.reconciler.runOnce();
    expect(report.checked).to.equal(0);
  });

  it('catches a payment whose notification never came, and stops polling it', async () => {
    const { payments } = t.db.t;
    const { p } = await pendingArcaAttempt();
    const scope = status(2, 'drl1');
    t.clock.advance(CHECK_BACKOFF_MS[0]);
    const report = await t.app.services.reconciler.runOnce();
    expect(scope.isDone()).to.equal(true);
    expect(report).to.include({ checked: 1, changed: 1 });
    expect((await t.db.select().from(payments).where(eq(payments.id, p.id)))[0].status).to.equal('paid');
    t.clock.advance(CHECK_BACKOFF_MS[5]);
    expect((await t.app.services.reconciler.runOnce()).checked).to.equal(0);
  });

  it('backs off 1 min, 5 min, 15 min between queries of a still-pending attempt', async () => {
    const { attempts } = t.db.t;
    const { a } = await pendingArcaAttempt();
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      status(0, 'drl1');
      const row = (await t.db.select().from(attempts).where(eq(attempts.id, a.id)))[0];
      t.clock.set(row.nextCheckAt!);
      seen.push(row.nextCheckAt!);
      expect((await t.app.services.reconciler.runOnce()).checked).to.equal(1);
    }
    expect(seen[0] - a.createdAt).to.equal(60_000);
    expect([seen[1] - seen[0], seen[2] - seen[1]]).to.deep.equal([5 * 60_000, 15 * 60_000]);
  });

  it('asks the provider one last time before expiring, so a last-minute payment is not lost', async () => {
    const { payments } = t.db.t;
    const { p } = await pendingArcaAttempt(1);
    const scope = status(2, 'drl1');
    t.clock.advance(2 * 3_600_000);
    await t.app.services.reconciler.runOnce();
    expect(scope.isDone()).to.equal(true);
    const row = (await t.db.select().from(payments).where(eq(payments.id, p.id)))[0];
    expect(row.status).to.equal('paid');
    expect(row.reviewReason).to.equal(null);
  });

  it('expires an unpaid payment past its expiry', async () => {
    const { payments } = t.db.t;
    const { p } = await pendingArcaAttempt(1);
    status(0, 'drl1');
    t.clock.advance(2 * 3_600_000);
    const report = await t.app.services.reconciler.runOnce();
    expect(report.expired).to.equal(1);
    expect((await t.db.select().from(payments).where(eq(payments.id, p.id)))[0].status).to.equal('expired');
  });

  it('re-runs an inbox row left in processing by a crash', async () => {
    const { payments, providerEvents } = t.db.t;
    const { p, a } = await pendingArcaAttempt();
    await t.db.insert(providerEvents).values({
      accountId,
      provider: 'arca',
      dedupeKey: 'crashed-1',
      kind: 'notification',
      authenticated: true,
      attemptId: a.id,
      paymentId: p.id,
      raw: '{}',
      fact: JSON.stringify({ status: 'paid', amountMinor: 5000, currency: 'AMD', rawStatus: 'deposited' }),
      state: 'processing',
      receivedAt: t.clock.now(),
    });
    t.clock.advance(10 * 60_000);
    nock(ARCA)
      .post('/payment/rest/getOrderStatusExtended.do')
      .optionally()
      .reply(200, { errorCode: '0', orderStatus: 0, orderNumber: 'drl1', amount: 5000, currency: '051' });
    const report = await t.app.services.reconciler.runOnce();
    expect(report.reapplied).to.equal(1);
    expect((await t.db.select().from(payments).where(eq(payments.id, p.id)))[0].status).to.equal('paid');
  });
});

describeStores('reconciler: answers only a person can settle', (kind) => {
  let t: TestApp;
  let accountId: number;
  beforeEach(async () => {
    t = await startTestApp({ store: kind });
    accountId = await seedAccount(t, {
      providers: { ameriabank: { clientId: 'c', username: 'u', password: 'p', testOrderIdFrom: 100, testOrderIdTo: 200 } },
    });
  });
  afterEach(async () => {
    nock.cleanAll();
    await t.close();
  });

  it('puts a payment whose funds are only held on a one-stage setup into review once, however often it is polled', async () => {
    const { attempts, payments } = t.db.t;
    const p = await createPayment(t.app.services.ledger, {
      accountId,
      leadId: 8,
      amountMinor: 1000,
      currency: 'AMD',
      providers: ['ameriabank'],
      expiresInHours: 72,
      createdBy: 'user:1',
      publicUrl: t.url,
    });
    const a = await openAttempt(t.app.services.ledger, { paymentId: p.id, provider: 'ameriabank', orderNo: () => '100' });
    await recordSessionCreated(t.app.services.ledger, {
      attemptId: a.id,
      providerPaymentId: 'PID-1',
      redirect: { method: 'GET', url: 'https://x' },
      sessionExpiresAt: t.clock.now() + 1_200_000,
    });
    nock('https://servicestest.ameriabank.am').post('/VPOS/api/VPOS/GetPaymentDetails').times(3).reply(200, {
      ResponseCode: '00',
      OrderStatus: '1',
      OrderID: '100',
      ApprovedAmount: 10,
      Amount: 10,
      Currency: '051',
      RefundedAmount: 0,
      Opaque: a.id,
    });
    for (let i = 0; i < 3; i++) {
      const row = (await t.db.select().from(attempts).where(eq(attempts.id, a.id)))[0];
      t.clock.set(row.nextCheckAt!);
      await t.app.services.reconciler.runOnce();
    }
    const row = (await t.db.select().from(payments).where(eq(payments.id, p.id)))[0];
    expect(row.status).to.equal('awaiting');
    expect(row.reviewReason).to.equal('provider_unclear');
    const { auditEntries, syncJobs } = await import('../../../server/db/schema.ts');
    expect(await t.db.select().from(auditEntries).where(eq(auditEntries.action, 'provider_unclear'))).to.have.length(1);
    expect(await t.db.select().from(syncJobs).where(eq(syncJobs.kind, 'task'))).to.have.length(1);
  });
});

describeStores('reconciler: refunds whose outcome is unknown', (kind) => {
  let t: TestApp;
  let accountId: number;
  beforeEach(async () => {
    t = await startTestApp({ store: kind });
    accountId = await seedAccount(t, { providers: { arca: { userName: 'u', password: 'p' } } });
  });
  afterEach(async () => {
    nock.cleanAll();
    await t.close();
  });

  async function paidWithUnknownRefund() {
    const { applyProviderFact } = await import('../../../server/payments/apply-provider-fact.ts');
    const { requestRefund, settleRefund } = await import('../../../server/payments/refunds.ts');
    const p = await createPayment(t.app.services.ledger, {
      accountId,
      leadId: 9,
      amountMinor: 5000,
      currency: 'AMD',
      providers: ['arca'],
      expiresInHours: 72,
      createdBy: 'user:1',
      publicUrl: t.url,
    });
    const a = await openAttempt(t.app.services.ledger, { paymentId: p.id, provider: 'arca', orderNo: (c) => `drl${c}` });
    await recordSessionCreated(t.app.services.ledger, {
      attemptId: a.id,
      providerPaymentId: 'md-r',
      redirect: { method: 'GET', url: 'https://x' },
      sessionExpiresAt: t.clock.now() + 1_200_000,
    });
    await applyProviderFact(t.app.services.ledger, {
      attemptId: a.id,
      fact: { status: 'paid', amountMinor: 5000, currency: 'AMD', rawStatus: 'deposited', providerOrderNo: 'drl1' },
      actor: 'provider:arca',
    });
    const r = await requestRefund(t.app.services.ledger, { paymentId: p.id, accountId, amountMinor: 2000, actor: 'user:1' });
    await settleRefund(t.app.services.ledger, { refundId: r.id, state: 'unknown', actor: 'user:1' });
    return { p, r };
  }
  const arcaStatus = (refundedAmount: number) =>
    nock(ARCA)
      .post('/payment/rest/getOrderStatusExtended.do')
      .reply(200, {
        errorCode: '0',
        orderStatus: refundedAmount ? 4 : 2,
        orderNumber: 'drl1',
        amount: 5000,
        currency: '051',
        paymentAmountInfo: { approvedAmount: 5000, refundedAmount },
      });

  it('settles a timed-out refund as succeeded once the provider reports it', async () => {
    const { payments, refunds } = t.db.t;
    const { p, r } = await paidWithUnknownRefund();
    const scope = arcaStatus(2000);
    t.clock.advance(6 * 60_000);
    const report = await t.app.services.reconciler.runOnce();
    expect(scope.isDone()).to.equal(true);
    expect(report.refundsSettled).to.equal(1);
    expect((await t.db.select().from(refunds).where(eq(refunds.id, r.id)))[0].state).to.equal('succeeded');
    expect((await t.db.select().from(payments).where(eq(payments.id, p.id)))[0]).to.include({
      status: 'partially_refunded',
      refundedAmountMinor: 2000,
    });
  });

  it('settles it as failed, for a person, when the provider still does not report it after a day', async () => {
    const { refunds } = t.db.t;
    const { r } = await paidWithUnknownRefund();
    arcaStatus(0);
    t.clock.advance(25 * 3_600_000);
    await t.app.services.reconciler.runOnce();
    expect((await t.db.select().from(refunds).where(eq(refunds.id, r.id)))[0].state).to.equal('failed');
    const { exceptions } = await import('../../../server/db/schema.ts');
    expect((await t.db.select().from(exceptions)).map((e) => e.kind)).to.include('refund_failed');
  });
});
