import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { payments, refunds } from '../../../server/db/schema.ts';
import { applyProviderFact } from '../../../server/payments/apply-provider-fact.ts';
import { createPayment } from '../../../server/payments/create-payment.ts';
import { openAttempt } from '../../../server/payments/open-attempt.ts';
import { requestRefund, settleRefund } from '../../../server/payments/refunds.ts';
import { seedAccount, startTestApp, type TestApp } from '../../support/test-app.ts';

describe('refund settlement: our answer and the provider report, in either order', () => {
  let t: TestApp;
  let paymentId: string;
  let attemptId: string;
  beforeEach(async () => {
    t = await startTestApp();
    const accountId = await seedAccount(t);
    const p = await createPayment(t.app.services.ledger, {
      accountId,
      leadId: 3,
      amountMinor: 10000,
      currency: 'AMD',
      providers: ['sandbox'],
      expiresInHours: 1,
      createdBy: 'user:1',
      publicUrl: t.url,
    });
    paymentId = p.id;
    attemptId = (await openAttempt(t.app.services.ledger, { paymentId, provider: 'sandbox', orderNo: (c) => `sbx-${c}` })).id;
    await applyProviderFact(t.app.services.ledger, {
      attemptId,
      fact: { status: 'paid', amountMinor: 10000, currency: 'AMD', rawStatus: 'paid' },
      actor: 'provider:sandbox',
    });
  });
  afterEach(() => t.close());

  const payment = () => t.db.select().from(payments).where(eq(payments.id, paymentId)).get()!;
  const report = (refundedTotalMinor: number) =>
    applyProviderFact(t.app.services.ledger, {
      attemptId,
      fact: { status: 'paid', amountMinor: 10000, currency: 'AMD', rawStatus: 'paid', refundedTotalMinor },
      actor: 'provider:sandbox',
    });

  it('does not count a partial refund twice when the provider report arrives before our answer', async () => {
    const r = await requestRefund(t.app.services.ledger, { paymentId, accountId: payment().accountId, amountMinor: 3000, actor: 'user:1' });
    report(3000);
    await settleRefund(t.app.services.ledger, { refundId: r.id, state: 'succeeded', actor: 'user:1' });
    expect(payment()).to.include({ status: 'partially_refunded', refundedAmountMinor: 3000 });
    expect(
      t.db
        .select()
        .from(refunds)
        .all()
        .map((x) => [x.state, x.source, x.amountMinor]),
    ).to.deep.equal([['succeeded', 'manager', 3000]]);
  });

  it('does not count a partial refund twice when our answer arrives before the provider report', async () => {
    const r = await requestRefund(t.app.services.ledger, { paymentId, accountId: payment().accountId, amountMinor: 3000, actor: 'user:1' });
    await settleRefund(t.app.services.ledger, { refundId: r.id, state: 'succeeded', actor: 'user:1' });
    report(3000);
    expect(payment()).to.include({ status: 'partially_refunded', refundedAmountMinor: 3000 });
    expect(t.db.select().from(refunds).all()).to.have.length(1);
  });

  it('settles a refund whose call timed out once the provider reports it, and frees nothing twice', async () => {
    const r = await requestRefund(t.app.services.ledger, { paymentId, accountId: payment().accountId, amountMinor: 4000, actor: 'user:1' });
    await settleRefund(t.app.services.ledger, { refundId: r.id, state: 'unknown', actor: 'user:1' });
    report(4000);
    const row = t.db.select().from(refunds).where(eq(refunds.id, r.id)).get()!;
    expect(row.state).to.equal('succeeded');
    expect(payment().refundedAmountMinor).to.equal(4000);
    // The rest (6000) is refundable again: nothing stays reserved by the settled refund.
    const rest = await requestRefund(t.app.services.ledger, { paymentId, accountId: payment().accountId, actor: 'user:1' });
    expect(rest.amountMinor).to.equal(6000);
  });

  it('records a refund made in the provider cabinet as a provider refund', () => {
    report(10000);
    expect(payment()).to.include({ status: 'refunded', refundedAmountMinor: 10000 });
    expect(
      t.db
        .select()
        .from(refunds)
        .all()
        .map((x) => x.source),
    ).to.deep.equal(['provider']);
  });
});
