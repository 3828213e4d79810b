import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { auditEntries, refunds } from '../../../server/db/schema.ts';
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

describe('server/payments refunds', () => {
  let l: Ledger;
  let p: PaymentRow;
  let a1: ReturnType<typeof newAttempt>;
  beforeEach(() => {
    l = openLedger();
    p = newPayment(l, { amountMinor: 100000 });
    a1 = newAttempt(l, p.id);
    apply(l, a1, paid(a1));
  });
  afterEach(() => l.close());

  function refund(amountMinor?: number) {
    const r = requestRefund(l.deps, { paymentId: p.id, accountId: l.accountId, amountMinor, actor: 'user:1' });
    return settleRefund(l.deps, { refundId: r.id, state: 'succeeded', actor: 'user:1' });
  }

  it('stays partially refunded until the refunds add up to the paid amount, then is fully refunded', () => {
    refund(30000);
    expect(paymentRow(l, p.id)).to.deep.include({ status: 'partially_refunded', refundedAmountMinor: 30000 });
    refund(69999);
    expect(paymentRow(l, p.id)).to.deep.include({ status: 'partially_refunded', refundedAmountMinor: 99999 });
    refund(1);
    expect(paymentRow(l, p.id)).to.deep.include({ status: 'refunded', refundedAmountMinor: 100000 });
    expect(countsFor(l, p).actions.filter((a) => a.endsWith('refunded'))).to.deep.equal([
      'partially_refunded',
      'partially_refunded',
      'refunded',
    ]);
  });

  it('refunds the rest when no amount is given', () => {
    refund(25000);
    refund();
    expect(paymentRow(l, p.id)).to.deep.include({ status: 'refunded', refundedAmountMinor: 100000 });
  });

  it('refuses a refund above what remains with a typed error and writes nothing', () => {
    refund(60000);
    const before = snapshot(l);
    const err = errorOf(() => requestRefund(l.deps, { paymentId: p.id, accountId: l.accountId, amountMinor: 40001, actor: 'user:1' }));
    expect(err.code).to.equal('refund_amount_too_large');
    expect(err.status).to.equal(400);
    expect(err.details).to.deep.equal({ maxAmountMinor: 40000 });
    expect(snapshot(l)).to.deep.equal(before);
  });

  it('refuses a second refund while the first is still being settled (two clicks cannot refund twice)', () => {
    requestRefund(l.deps, { paymentId: p.id, accountId: l.accountId, actor: 'user:1' });
    const before = snapshot(l);
    expect(
      errorOf(() => requestRefund(l.deps, { paymentId: p.id, accountId: l.accountId, amountMinor: 1, actor: 'user:1' })).code,
    ).to.equal('refund_in_progress');
    expect(snapshot(l)).to.deep.equal(before);
  });

  it('refuses to refund a fully refunded payment and an unpaid one', () => {
    refund();
    expect(errorOf(() => requestRefund(l.deps, { paymentId: p.id, accountId: l.accountId, actor: 'user:1' })).code).to.equal(
      'nothing_to_refund',
    );
    const unpaid = newPayment(l);
    const before = snapshot(l);
    expect(errorOf(() => requestRefund(l.deps, { paymentId: unpaid.id, accountId: l.accountId, actor: 'user:1' })).code).to.equal(
      'payment_not_paid',
    );
    expect(snapshot(l)).to.deep.equal(before);
  });

  for (const bad of [-5, 0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '100' as unknown as number]) {
    it(`refuses a refund of ${typeof bad === 'string' ? `"${bad}"` : String(bad)} as invalid_amount and writes nothing`, () => {
      const before = snapshot(l);
      const err = errorOf(() => requestRefund(l.deps, { paymentId: p.id, accountId: l.accountId, amountMinor: bad, actor: 'user:1' }));
      expect(err.code).to.equal('invalid_amount');
      expect(err.status).to.equal(400);
      expect(snapshot(l)).to.deep.equal(before);
    });
  }

  it('counts a settled refund once even when its success is reported twice', () => {
    const r = requestRefund(l.deps, { paymentId: p.id, accountId: l.accountId, amountMinor: 10000, actor: 'user:1' });
    settleRefund(l.deps, { refundId: r.id, state: 'succeeded', actor: 'user:1' });
    const once = snapshot(l);
    settleRefund(l.deps, { refundId: r.id, state: 'succeeded', actor: 'user:1' });
    expect(snapshot(l)).to.deep.equal(once);
    expect(paymentRow(l, p.id).refundedAmountMinor).to.equal(10000);
  });

  it('opens an exception and a task when a refund fails, and leaves the payment paid', () => {
    const r = requestRefund(l.deps, { paymentId: p.id, accountId: l.accountId, amountMinor: 10000, actor: 'user:1' });
    settleRefund(l.deps, { refundId: r.id, state: 'failed', message: 'insufficient funds', actor: 'user:1' });
    expect(paymentRow(l, p.id)).to.deep.include({ status: 'paid', refundedAmountMinor: 0 });
    expect(tasksFor(l, p.id)).to.deep.equal([`task:refund_failed:${p.id}:refund_failed:${r.id}`]);
  });

  it('never erases history: audit entries of the payment stay, paidAt, paid amount and reference stay', () => {
    const before = paymentRow(l, p.id);
    const auditBefore = l.db.select().from(auditEntries).where(eq(auditEntries.paymentId, p.id)).all();
    refund(40000);
    refund();
    const after = paymentRow(l, p.id);
    expect(after.status).to.equal('refunded');
    expect(after.paidAt).to.equal(before.paidAt);
    expect(after.paidAmountMinor).to.equal(before.paidAmountMinor);
    expect(after.paidAttemptId).to.equal(before.paidAttemptId);
    expect(after.providerRef).to.equal(before.providerRef);
    const auditAfter = l.db.select().from(auditEntries).where(eq(auditEntries.paymentId, p.id)).all();
    expect(auditAfter.slice(0, auditBefore.length)).to.deep.equal(auditBefore);
    expect(auditAfter.map((a) => a.action)).to.include('paid');
    expect(
      l.db
        .select()
        .from(refunds)
        .where(eq(refunds.paymentId, p.id))
        .all()
        .map((r) => [r.amountMinor, r.state]),
    ).to.deep.equal([
      [40000, 'succeeded'],
      [60000, 'succeeded'],
    ]);
  });

  describe("provider's cumulative refund totals", () => {
    it('records a growing total as partial, then full refund, with a refund row for each increase', () => {
      apply(l, a1, paid(a1, { refundedTotalMinor: 20000 }));
      expect(paymentRow(l, p.id)).to.deep.include({ status: 'partially_refunded', refundedAmountMinor: 20000 });
      apply(l, a1, paid(a1, { refundedTotalMinor: 100000 }));
      expect(paymentRow(l, p.id)).to.deep.include({ status: 'refunded', refundedAmountMinor: 100000 });
      expect(
        l.db
          .select()
          .from(refunds)
          .where(eq(refunds.paymentId, p.id))
          .all()
          .map((r) => [r.amountMinor, r.source]),
      ).to.deep.equal([
        [20000, 'provider'],
        [80000, 'provider'],
      ]);
    });

    it('does not let a smaller total reported later shrink the refunded amount', () => {
      apply(l, a1, paid(a1, { refundedTotalMinor: 50000 }));
      const snap = snapshot(l);
      apply(l, a1, paid(a1, { refundedTotalMinor: 30000 }));
      apply(l, a1, paid(a1, { refundedTotalMinor: 0 }));
      expect(snapshot(l)).to.deep.equal(snap);
      expect(paymentRow(l, p.id)).to.deep.include({ status: 'partially_refunded', refundedAmountMinor: 50000 });
    });

    it('never counts more refunded than paid: a total above the paid amount is capped and needs review', () => {
      apply(l, a1, paid(a1, { refundedTotalMinor: 150000 }));
      const row = paymentRow(l, p.id);
      expect(row).to.deep.include({ status: 'refunded', refundedAmountMinor: 100000, reviewReason: 'refund_exceeds_paid' });
      expect(tasksFor(l, p.id)).to.deep.equal([`task:needs_review:${p.id}:refund_exceeds_paid`]);
      const once = countsFor(l, p);
      apply(l, a1, paid(a1, { refundedTotalMinor: 150000 }));
      apply(l, a1, paid(a1, { refundedTotalMinor: 200000 }));
      expect(countsFor(l, p)).to.deep.equal(once);
    });

    it('does not double count a manager refund that the provider then reports in its total', () => {
      refund(30000);
      apply(l, a1, paid(a1, { refundedTotalMinor: 30000 }));
      expect(paymentRow(l, p.id).refundedAmountMinor).to.equal(30000);
    });
  });
});
