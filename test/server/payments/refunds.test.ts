import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { requestRefund, settleRefund } from '../../../server/payments/refunds.ts';
import type { PaymentRow } from '../../../server/payments/payment-state.ts';
import {
  apply,
  countsFor,
  newAttempt,
  newPayment,
  openLedger,
  paid,
  paymentRow,
  snapshot,
  tasksFor,
  type Ledger,
  errorOf,
} from './ledger-fixture.ts';
import { describeStores } from '../../support/stores.ts';

describeStores('server/payments refunds', (kind) => {
  let l: Ledger;
  let p: PaymentRow;
  let a1: Awaited<ReturnType<typeof newAttempt>>;
  beforeEach(async () => {
    l = await openLedger({ store: kind });
    p = await newPayment(l, { amountMinor: 100000 });
    a1 = await newAttempt(l, p.id);
    await apply(l, a1, paid(a1));
  });
  afterEach(() => l.close());

  async function refund(amountMinor?: number) {
    const r = await requestRefund(l.deps, { paymentId: p.id, accountId: l.accountId, amountMinor, actor: 'user:1' });
    return await settleRefund(l.deps, { refundId: r.id, state: 'succeeded', actor: 'user:1' });
  }

  it('stays partially refunded until the refunds add up to the paid amount, then is fully refunded', async () => {
    await refund(30000);
    expect(await paymentRow(l, p.id)).to.deep.include({ status: 'partially_refunded', refundedAmountMinor: 30000 });
    await refund(69999);
    expect(await paymentRow(l, p.id)).to.deep.include({ status: 'partially_refunded', refundedAmountMinor: 99999 });
    await refund(1);
    expect(await paymentRow(l, p.id)).to.deep.include({ status: 'refunded', refundedAmountMinor: 100000 });
    expect((await countsFor(l, p)).actions.filter((a) => a.endsWith('refunded'))).to.deep.equal([
      'partially_refunded',
      'partially_refunded',
      'refunded',
    ]);
  });

  it('refunds the rest when no amount is given', async () => {
    await refund(25000);
    await refund();
    expect(await paymentRow(l, p.id)).to.deep.include({ status: 'refunded', refundedAmountMinor: 100000 });
  });

  it('refuses a refund above what remains with a typed error and writes nothing', async () => {
    await refund(60000);
    const before = await snapshot(l);
    const err = await errorOf(() =>
      requestRefund(l.deps, { paymentId: p.id, accountId: l.accountId, amountMinor: 40001, actor: 'user:1' }),
    );
    expect(err.code).to.equal('refund_amount_too_large');
    expect(err.status).to.equal(400);
    expect(err.details).to.deep.equal({ maxAmountMinor: 40000 });
    expect(await snapshot(l)).to.deep.equal(before);
  });

  it('refuses a second refund while the first is still being settled (two clicks cannot refund twice)', async () => {
    await requestRefund(l.deps, { paymentId: p.id, accountId: l.accountId, actor: 'user:1' });
    const before = await snapshot(l);
    expect(
      (await errorOf(() => requestRefund(l.deps, { paymentId: p.id, accountId: l.accountId, amountMinor: 1, actor: 'user:1' }))).code,
    ).to.equal('refund_in_progress');
    expect(await snapshot(l)).to.deep.equal(before);
  });

  it('refuses to refund a fully refunded payment and an unpaid one', async () => {
    await refund();
    expect((await errorOf(() => requestRefund(l.deps, { paymentId: p.id, accountId: l.accountId, actor: 'user:1' }))).code).to.equal(
      'nothing_to_refund',
    );
    const unpaid = await newPayment(l);
    const before = await snapshot(l);
    expect((await errorOf(() => requestRefund(l.deps, { paymentId: unpaid.id, accountId: l.accountId, actor: 'user:1' }))).code).to.equal(
      'payment_not_paid',
    );
    expect(await snapshot(l)).to.deep.equal(before);
  });

  for (const bad of [-5, 0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '100' as unknown as number]) {
    it(`refuses a refund of ${typeof bad === 'string' ? `"${bad}"` : String(bad)} as invalid_amount and writes nothing`, async () => {
      const before = await snapshot(l);
      const err = await errorOf(() =>
        requestRefund(l.deps, { paymentId: p.id, accountId: l.accountId, amountMinor: bad, actor: 'user:1' }),
      );
      expect(err.code).to.equal('invalid_amount');
      expect(err.status).to.equal(400);
      expect(await snapshot(l)).to.deep.equal(before);
    });
  }

  it('counts a settled refund once even when its success is reported twice', async () => {
    const r = await requestRefund(l.deps, { paymentId: p.id, accountId: l.accountId, amountMinor: 10000, actor: 'user:1' });
    await settleRefund(l.deps, { refundId: r.id, state: 'succeeded', actor: 'user:1' });
    const once = await snapshot(l);
    await settleRefund(l.deps, { refundId: r.id, state: 'succeeded', actor: 'user:1' });
    expect(await snapshot(l)).to.deep.equal(once);
    expect((await paymentRow(l, p.id)).refundedAmountMinor).to.equal(10000);
  });

  it('opens an exception and a task when a refund fails, and leaves the payment paid', async () => {
    const r = await requestRefund(l.deps, { paymentId: p.id, accountId: l.accountId, amountMinor: 10000, actor: 'user:1' });
    await settleRefund(l.deps, { refundId: r.id, state: 'failed', message: 'insufficient funds', actor: 'user:1' });
    expect(await paymentRow(l, p.id)).to.deep.include({ status: 'paid', refundedAmountMinor: 0 });
    expect(await tasksFor(l, p.id)).to.deep.equal([`task:refund_failed:${p.id}:refund_failed:${r.id}`]);
  });

  it('never erases history: audit entries of the payment stay, paidAt, paid amount and reference stay', async () => {
    const { auditEntries, refunds } = l.db.t;
    const before = await paymentRow(l, p.id);
    const auditBefore = await l.db.select().from(auditEntries).where(eq(auditEntries.paymentId, p.id));
    await refund(40000);
    await refund();
    const after = await paymentRow(l, p.id);
    expect(after.status).to.equal('refunded');
    expect(after.paidAt).to.equal(before.paidAt);
    expect(after.paidAmountMinor).to.equal(before.paidAmountMinor);
    expect(after.paidAttemptId).to.equal(before.paidAttemptId);
    expect(after.providerRef).to.equal(before.providerRef);
    const auditAfter = await l.db.select().from(auditEntries).where(eq(auditEntries.paymentId, p.id));
    expect(auditAfter.slice(0, auditBefore.length)).to.deep.equal(auditBefore);
    expect(auditAfter.map((a) => a.action)).to.include('paid');
    expect((await l.db.select().from(refunds).where(eq(refunds.paymentId, p.id))).map((r) => [r.amountMinor, r.state])).to.deep.equal([
      [40000, 'succeeded'],
      [60000, 'succeeded'],
    ]);
  });

  describe("provider's cumulative refund totals", () => {
    it('records a growing total as partial, then full refund, with a refund row for each increase', async () => {
      const { refunds } = l.db.t;
      await apply(l, a1, paid(a1, { refundedTotalMinor: 20000 }));
      expect(await paymentRow(l, p.id)).to.deep.include({ status: 'partially_refunded', refundedAmountMinor: 20000 });
      await apply(l, a1, paid(a1, { refundedTotalMinor: 100000 }));
      expect(await paymentRow(l, p.id)).to.deep.include({ status: 'refunded', refundedAmountMinor: 100000 });
      expect((await l.db.select().from(refunds).where(eq(refunds.paymentId, p.id))).map((r) => [r.amountMinor, r.source])).to.deep.equal([
        [20000, 'provider'],
        [80000, 'provider'],
      ]);
    });

    it('does not let a smaller total reported later shrink the refunded amount', async () => {
      await apply(l, a1, paid(a1, { refundedTotalMinor: 50000 }));
      const snap = await snapshot(l);
      await apply(l, a1, paid(a1, { refundedTotalMinor: 30000 }));
      await apply(l, a1, paid(a1, { refundedTotalMinor: 0 }));
      expect(await snapshot(l)).to.deep.equal(snap);
      expect(await paymentRow(l, p.id)).to.deep.include({ status: 'partially_refunded', refundedAmountMinor: 50000 });
    });

    it('never counts more refunded than paid: a total above the paid amount is capped and needs review', async () => {
      await apply(l, a1, paid(a1, { refundedTotalMinor: 150000 }));
      const row = await paymentRow(l, p.id);
      expect(row).to.deep.include({ status: 'refunded', refundedAmountMinor: 100000, reviewReason: 'refund_exceeds_paid' });
      expect(await tasksFor(l, p.id)).to.deep.equal([`task:needs_review:${p.id}:refund_exceeds_paid`]);
      const once = await countsFor(l, p);
      await apply(l, a1, paid(a1, { refundedTotalMinor: 150000 }));
      await apply(l, a1, paid(a1, { refundedTotalMinor: 200000 }));
      expect(await countsFor(l, p)).to.deep.equal(once);
    });

    it('does not double count a manager refund that the provider then reports in its total', async () => {
      await refund(30000);
      await apply(l, a1, paid(a1, { refundedTotalMinor: 30000 }));
      expect((await paymentRow(l, p.id)).refundedAmountMinor).to.equal(30000);
    });
  });
});
