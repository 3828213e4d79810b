import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { crmStatusOf } from '../../../shared/crm-status.ts';
import { exceptions, syncJobs } from '../../../server/db/schema.ts';
import { cancelPayment } from '../../../server/payments/cancel-payment.ts';
import { expirePayment } from '../../../server/payments/expire-payment.ts';
import {
  HOUR,
  apply,
  attemptRow,
  countsFor,
  failed,
  newAttempt,
  newPayment,
  openLedger,
  paid,
  paymentRow,
  snapshot,
  tasksFor,
  type Ledger,
  codeOf,
} from './ledger-fixture.ts';

describe('server/payments applyProviderFact: the status rules on the real ledger', () => {
  let l: Ledger;
  beforeEach(() => {
    l = openLedger();
  });
  afterEach(() => l.close());

  describe('paid never goes back', () => {
    it('does not let a stale failure, expiry, cancellation or pending of the paid attempt move a paid payment back', () => {
      const p = newPayment(l);
      const a1 = newAttempt(l, p.id);
      apply(l, a1, paid(a1));
      const before = paymentRow(l, p.id);
      expect(before.status).to.equal('paid');
      for (const status of ['failed', 'expired', 'cancelled', 'pending', 'unknown'] as const) {
        const d = apply(l, a1, { status, providerOrderNo: a1.providerOrderNo, rawStatus: `late ${status}` });
        expect(d.events, status).to.deep.equal([]);
      }
      const after = paymentRow(l, p.id);
      expect(after.status).to.equal('paid');
      expect(after.paidAt).to.equal(before.paidAt);
      expect(after.paidAmountMinor).to.equal(150000);
      expect(attemptRow(l, a1.id).status).to.equal('paid');
    });

    it('does not let the failure of another (newer) attempt mark a paid payment failed', () => {
      const p = newPayment(l);
      const a1 = newAttempt(l, p.id);
      const a2 = newAttempt(l, p.id);
      apply(l, a1, paid(a1));
      apply(l, a2, failed(a2));
      expect(attemptRow(l, a2.id).status).to.equal('failed');
      expect(paymentRow(l, p.id).status).to.equal('paid');
    });

    it('does not expire, cancel or reopen a paid payment when its link lifetime is over', () => {
      const p = newPayment(l);
      const a1 = newAttempt(l, p.id);
      apply(l, a1, paid(a1));
      l.clock.advance(48 * HOUR);
      expect(expirePayment(l.deps, { paymentId: p.id }).events).to.deep.equal([]);
      expect(codeOf(() => cancelPayment(l.deps, { paymentId: p.id, accountId: l.accountId, actor: 'user:7' }))).to.equal(
        'payment_already_paid',
      );
      expect(codeOf(() => newAttempt(l, p.id))).to.equal('payment_already_paid');
      expect(paymentRow(l, p.id).status).to.equal('paid');
    });

    it('does not let a stale failure move a refunded payment back to paid or failed', () => {
      const p = newPayment(l);
      const a1 = newAttempt(l, p.id);
      const a2 = newAttempt(l, p.id);
      apply(l, a1, paid(a1, { refundedTotalMinor: 150000 }));
      expect(paymentRow(l, p.id).status).to.equal('refunded');
      apply(l, a2, failed(a2));
      apply(l, a1, failed(a1));
      apply(l, a1, paid(a1));
      expect(paymentRow(l, p.id).status).to.equal('refunded');
      expect(paymentRow(l, p.id).refundedAmountMinor).to.equal(150000);
    });
  });

  describe('a failed attempt never closes the payment', () => {
    it('shows the last attempt failure as payment_failed and lets the customer open a new attempt on the same link', () => {
      const p = newPayment(l);
      const a1 = newAttempt(l, p.id);
      apply(l, a1, failed(a1));
      const afterFail = paymentRow(l, p.id);
      expect(afterFail.status).to.equal('failed');
      expect(crmStatusOf({ status: 'failed', needsReview: false })).to.equal('payment_failed');

      const a2 = newAttempt(l, p.id);
      expect(a2.seq).to.equal(2);
      expect(paymentRow(l, p.id).status, 'a new attempt returns failed to awaiting').to.equal('awaiting');
      apply(l, a2, paid(a2));
      expect(paymentRow(l, p.id).status).to.equal('paid');
      expect(paymentRow(l, p.id).paidAttemptId).to.equal(a2.id);
    });

    it('does not mark the payment failed when an older attempt fails while a newer one is pending', () => {
      const p = newPayment(l);
      const a1 = newAttempt(l, p.id);
      const a2 = newAttempt(l, p.id);
      apply(l, a2, { status: 'pending', providerOrderNo: a2.providerOrderNo, rawStatus: 'in progress' });
      apply(l, a1, failed(a1));
      expect(attemptRow(l, a1.id).status).to.equal('failed');
      expect(paymentRow(l, p.id).status).to.equal('awaiting');
      apply(l, a2, failed(a2));
      expect(paymentRow(l, p.id).status).to.equal('failed');
    });

    it('does not mark the payment failed when an attempt only expired (the customer walked away)', () => {
      const p = newPayment(l);
      const a1 = newAttempt(l, p.id);
      apply(l, a1, { status: 'expired', providerOrderNo: a1.providerOrderNo, rawStatus: 'session expired' });
      expect(attemptRow(l, a1.id).status).to.equal('expired');
      expect(paymentRow(l, p.id).status).to.equal('awaiting');
    });

    it('lets an attempt reported failed still become paid when the provider later verifies the money', () => {
      const p = newPayment(l);
      const a1 = newAttempt(l, p.id);
      apply(l, a1, failed(a1));
      apply(l, a1, paid(a1));
      expect(paymentRow(l, p.id).status).to.equal('paid');
    });
  });

  describe('late and double successes', () => {
    it('makes a success after expiry paid AND needs review (paid_after_expiry), with an exception and a task', () => {
      const p = newPayment(l);
      const a1 = newAttempt(l, p.id);
      l.clock.advance(25 * HOUR);
      expirePayment(l.deps, { paymentId: p.id });
      expect(paymentRow(l, p.id).status).to.equal('expired');
      apply(l, a1, paid(a1));
      const row = paymentRow(l, p.id);
      expect(row.status).to.equal('paid');
      expect(row.paidAmountMinor).to.equal(150000);
      expect(row.reviewReason).to.equal('paid_after_expiry');
      expect(row.reviewSince).to.equal(l.clock.now());
      expect(crmStatusOf({ status: 'paid', needsReview: true })).to.equal('manual_review');
      expect(tasksFor(l, p.id)).to.deep.equal([`task:needs_review:${p.id}:paid_after_expiry`]);
      const ex = l.db.select().from(exceptions).where(eq(exceptions.paymentId, p.id)).all();
      expect(ex.map((e) => [e.kind, e.dedupeKey])).to.deep.equal([['needs_review', `needs_review:${p.id}:paid_after_expiry`]]);
      expect(countsFor(l, p).actions).to.deep.equal(['created', 'attempt_opened', 'expired', 'paid', 'paid_after_expiry']);
    });

    it('makes a success after cancellation paid AND needs review (paid_after_cancel), with a task', () => {
      const p = newPayment(l);
      const a1 = newAttempt(l, p.id);
      cancelPayment(l.deps, { paymentId: p.id, accountId: l.accountId, actor: 'user:7' });
      expect(paymentRow(l, p.id).status).to.equal('cancelled');
      apply(l, a1, paid(a1));
      const row = paymentRow(l, p.id);
      expect(row.status).to.equal('paid');
      expect(row.reviewReason).to.equal('paid_after_cancel');
      expect(tasksFor(l, p.id)).to.deep.equal([`task:needs_review:${p.id}:paid_after_cancel`]);
    });

    it('flags a second successful attempt as double_payment with a task, and keeps the first paid amount and attempt', () => {
      const p = newPayment(l);
      const a1 = newAttempt(l, p.id);
      const a2 = newAttempt(l, p.id);
      apply(l, a1, paid(a1, { providerPaymentId: 'sb-1' }));
      const first = paymentRow(l, p.id);
      apply(l, a2, paid(a2, { providerPaymentId: 'sb-2' }));
      const row = paymentRow(l, p.id);
      expect(row.status).to.equal('paid');
      expect(row.reviewReason).to.equal('double_payment');
      expect(row.paidAmountMinor).to.equal(150000);
      expect(row.paidAttemptId).to.equal(a1.id);
      expect(row.paidAt).to.equal(first.paidAt);
      expect(row.providerRef).to.equal('sb-1');
      expect(attemptRow(l, a2.id).status).to.equal('paid');
      expect(tasksFor(l, p.id)).to.deep.equal([`task:needs_review:${p.id}:double_payment`]);
    });
  });

  describe('mismatches never pay', () => {
    it('flags an amount mismatch for review and NEVER marks the payment paid', () => {
      const p = newPayment(l);
      const a1 = newAttempt(l, p.id);
      const d = apply(l, a1, paid(a1, { amountMinor: 149999 }));
      expect(d.outcome).to.equal('needs_review');
      const row = paymentRow(l, p.id);
      expect(row.status).to.equal('awaiting');
      expect(row.reviewReason).to.equal('amount_mismatch');
      expect(row.paidAt).to.equal(null);
      expect(row.paidAmountMinor).to.equal(null);
      expect(attemptRow(l, a1.id).status).to.not.equal('paid');
      expect(tasksFor(l, p.id)).to.deep.equal([`task:needs_review:${p.id}:amount_mismatch`]);
    });

    it('flags a larger reported amount too (an overpayment is not a payment of this link)', () => {
      const p = newPayment(l);
      const a1 = newAttempt(l, p.id);
      apply(l, a1, paid(a1, { amountMinor: 150001 }));
      expect(paymentRow(l, p.id).status).to.equal('awaiting');
      expect(paymentRow(l, p.id).reviewReason).to.equal('amount_mismatch');
    });

    it('flags a currency mismatch for review and NEVER marks the payment paid, even with the right number', () => {
      const p = newPayment(l);
      const a1 = newAttempt(l, p.id);
      apply(l, a1, paid(a1, { currency: 'USD' }));
      const row = paymentRow(l, p.id);
      expect(row.status).to.equal('awaiting');
      expect(row.reviewReason).to.equal('currency_mismatch');
      expect(row.paidAt).to.equal(null);
      expect(tasksFor(l, p.id)).to.deep.equal([`task:needs_review:${p.id}:currency_mismatch`]);
    });

    it('changes nothing when a "paid" fact carries no amount (only a status query may settle it)', () => {
      const p = newPayment(l);
      const a1 = newAttempt(l, p.id);
      const before = snapshot(l);
      const d = apply(l, a1, paid(a1, { amountMinor: undefined }));
      expect(d.outcome).to.equal('amount_missing');
      expect(snapshot(l)).to.deep.equal(before);
    });

    it("changes nothing when the fact's order number is another attempt's", () => {
      const p = newPayment(l);
      const a1 = newAttempt(l, p.id);
      const a2 = newAttempt(l, p.id);
      const before = snapshot(l);
      for (const status of ['paid', 'failed', 'pending'] as const) {
        const d = apply(l, a1, { ...paid(a1), status, providerOrderNo: a2.providerOrderNo });
        expect(d.outcome).to.equal('order_number_mismatch');
      }
      expect(snapshot(l)).to.deep.equal(before);
    });

    it('changes nothing for a fact about an attempt that does not exist', () => {
      newPayment(l);
      const before = snapshot(l);
      const d = applyUnknown(l);
      expect(d.outcome).to.equal('unknown_attempt');
      expect(snapshot(l)).to.deep.equal(before);
    });
  });

  describe('duplicates change nothing', () => {
    const cases: Array<[string, (l: Ledger, a1: ReturnType<typeof newAttempt>) => void]> = [
      ['paid', (l, a1) => apply(l, a1, paid(a1))],
      ['failed', (l, a1) => apply(l, a1, failed(a1))],
      ['pending', (l, a1) => apply(l, a1, { status: 'pending', providerOrderNo: a1.providerOrderNo, rawStatus: 'pending' })],
      ['amount mismatch', (l, a1) => apply(l, a1, paid(a1, { amountMinor: 1 }))],
      ['refund total', (l, a1) => apply(l, a1, paid(a1, { refundedTotalMinor: 1000 }))],
    ];
    for (const [name, send] of cases) {
      it(`writes one audit entry and queues one note for the same ${name} fact sent twice`, () => {
        const p = newPayment(l);
        const a1 = newAttempt(l, p.id);
        const base = countsFor(l, p);
        send(l, a1);
        const once = countsFor(l, p);
        const snap = snapshot(l);
        send(l, a1);
        send(l, a1);
        expect(countsFor(l, p)).to.deep.equal(once);
        expect(snapshot(l)).to.deep.equal(snap);
        expect(once.audit).to.be.greaterThan(base.audit);
      });
    }

    it('does not write a second mismatch entry for a replayed mismatch while the payment already needs review for another reason', () => {
      const p = newPayment(l);
      const a1 = newAttempt(l, p.id);
      const a2 = newAttempt(l, p.id);
      apply(l, a1, paid(a1));
      apply(l, a2, paid(a2)); // double_payment: the payment now needs review
      apply(l, a2, paid(a2, { amountMinor: 1, rawStatus: 'weird' }));
      const once = countsFor(l, p);
      apply(l, a2, paid(a2, { amountMinor: 1, rawStatus: 'weird' }));
      expect(countsFor(l, p)).to.deep.equal(once);
    });
  });

  describe('every state change writes its audit entry and outbox rows', () => {
    it('writes audit + note for created, paid and failed; one coalesced lead update per lead; a task only for exceptions', () => {
      const p = newPayment(l);
      let c = countsFor(l, p);
      expect(c).to.deep.include({ audit: 1, notes: 1, leadUpdates: 1, tasks: 0, actions: ['created'] });
      const a1 = newAttempt(l, p.id);
      apply(l, a1, { status: 'pending', providerOrderNo: a1.providerOrderNo, rawStatus: 'pending' });
      c = countsFor(l, p);
      expect(c).to.deep.include({ audit: 3, notes: 1, leadUpdates: 1, tasks: 0 });
      apply(l, a1, failed(a1));
      c = countsFor(l, p);
      expect(c).to.deep.include({ audit: 4, notes: 2, leadUpdates: 1, tasks: 0 });
      const a2 = newAttempt(l, p.id);
      apply(l, a2, paid(a2));
      c = countsFor(l, p);
      expect(c).to.deep.include({ audit: 6, notes: 3, leadUpdates: 1, tasks: 0 });
      expect(c.actions).to.deep.equal(['created', 'attempt_opened', 'attempt_pending', 'attempt_failed', 'attempt_opened', 'paid']);
      const lead = l.db
        .select()
        .from(syncJobs)
        .where(eq(syncJobs.dedupeKey, `lead:${p.leadId}`))
        .get()!;
      expect(lead.state).to.equal('pending');
      expect(lead.generation, 'each change re-arms the one lead update').to.be.greaterThanOrEqual(4);
    });

    it('queues one lead update per lead even for two payments on the same lead', () => {
      const p1 = newPayment(l, { leadId: 77 });
      const p2 = newPayment(l, { leadId: 77 });
      const a = newAttempt(l, p2.id);
      apply(l, a, paid(a));
      expect(
        l.db
          .select()
          .from(syncJobs)
          .where(eq(syncJobs.kind, 'lead_update'))
          .all()
          .map((j) => j.dedupeKey),
      ).to.deep.equal(['lead:77']);
      expect(countsFor(l, p1).notes).to.equal(1);
      expect(countsFor(l, p2).notes).to.equal(2);
    });
  });
});

function applyUnknown(l: Ledger) {
  return apply(l, { id: 'att_missing', providerOrderNo: 'x', amountMinor: 1, currency: 'AMD' } as never, {
    status: 'paid',
    amountMinor: 1,
    rawStatus: 'ok',
  });
}
