import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { crmStatusOf } from '../../../shared/crm-status.ts';
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
import { describeStores } from '../../support/stores.ts';

describeStores('server/payments applyProviderFact: the status rules on the real ledger', (kind) => {
  let l: Ledger;
  beforeEach(async () => {
    l = await openLedger({ store: kind });
  });
  afterEach(() => l.close());

  describe('paid never goes back', () => {
    it('does not let a stale failure, expiry, cancellation or pending of the paid attempt move a paid payment back', async () => {
      const p = await newPayment(l);
      const a1 = await newAttempt(l, p.id);
      await apply(l, a1, paid(a1));
      const before = await paymentRow(l, p.id);
      expect(before.status).to.equal('paid');
      for (const status of ['failed', 'expired', 'cancelled', 'pending', 'unknown'] as const) {
        const d = await apply(l, a1, { status, providerOrderNo: a1.providerOrderNo, rawStatus: `late ${status}` });
        expect(d.events, status).to.deep.equal([]);
      }
      const after = await paymentRow(l, p.id);
      expect(after.status).to.equal('paid');
      expect(after.paidAt).to.equal(before.paidAt);
      expect(after.paidAmountMinor).to.equal(150000);
      expect((await attemptRow(l, a1.id)).status).to.equal('paid');
    });

    it('does not let the failure of another (newer) attempt mark a paid payment failed', async () => {
      const p = await newPayment(l);
      const a1 = await newAttempt(l, p.id);
      const a2 = await newAttempt(l, p.id);
      await apply(l, a1, paid(a1));
      await apply(l, a2, failed(a2));
      expect((await attemptRow(l, a2.id)).status).to.equal('failed');
      expect((await paymentRow(l, p.id)).status).to.equal('paid');
    });

    it('does not expire, cancel or reopen a paid payment when its link lifetime is over', async () => {
      const p = await newPayment(l);
      const a1 = await newAttempt(l, p.id);
      await apply(l, a1, paid(a1));
      l.clock.advance(48 * HOUR);
      expect((await expirePayment(l.deps, { paymentId: p.id })).events).to.deep.equal([]);
      expect(await codeOf(() => cancelPayment(l.deps, { paymentId: p.id, accountId: l.accountId, actor: 'user:7' }))).to.equal(
        'payment_already_paid',
      );
      expect(await codeOf(() => newAttempt(l, p.id))).to.equal('payment_already_paid');
      expect((await paymentRow(l, p.id)).status).to.equal('paid');
    });

    it('does not let a stale failure move a refunded payment back to paid or failed', async () => {
      const p = await newPayment(l);
      const a1 = await newAttempt(l, p.id);
      const a2 = await newAttempt(l, p.id);
      await apply(l, a1, paid(a1, { refundedTotalMinor: 150000 }));
      expect((await paymentRow(l, p.id)).status).to.equal('refunded');
      await apply(l, a2, failed(a2));
      await apply(l, a1, failed(a1));
      await apply(l, a1, paid(a1));
      expect((await paymentRow(l, p.id)).status).to.equal('refunded');
      expect((await paymentRow(l, p.id)).refundedAmountMinor).to.equal(150000);
    });
  });

  describe('a failed attempt never closes the payment', () => {
    it('shows the last attempt failure as payment_failed and lets the customer open a new attempt on the same link', async () => {
      const p = await newPayment(l);
      const a1 = await newAttempt(l, p.id);
      await apply(l, a1, failed(a1));
      const afterFail = await paymentRow(l, p.id);
      expect(afterFail.status).to.equal('failed');
      expect(crmStatusOf({ status: 'failed', needsReview: false })).to.equal('payment_failed');

      const a2 = await newAttempt(l, p.id);
      expect(a2.seq).to.equal(2);
      expect((await paymentRow(l, p.id)).status, 'a new attempt returns failed to awaiting').to.equal('awaiting');
      await apply(l, a2, paid(a2));
      expect((await paymentRow(l, p.id)).status).to.equal('paid');
      expect((await paymentRow(l, p.id)).paidAttemptId).to.equal(a2.id);
    });

    it('does not mark the payment failed when an older attempt fails while a newer one is pending', async () => {
      const p = await newPayment(l);
      const a1 = await newAttempt(l, p.id);
      const a2 = await newAttempt(l, p.id);
      await apply(l, a2, { status: 'pending', providerOrderNo: a2.providerOrderNo, rawStatus: 'in progress' });
      await apply(l, a1, failed(a1));
      expect((await attemptRow(l, a1.id)).status).to.equal('failed');
      expect((await paymentRow(l, p.id)).status).to.equal('awaiting');
      await apply(l, a2, failed(a2));
      expect((await paymentRow(l, p.id)).status).to.equal('failed');
    });

    it('does not mark the payment failed when an attempt only expired (the customer walked away)', async () => {
      const p = await newPayment(l);
      const a1 = await newAttempt(l, p.id);
      await apply(l, a1, { status: 'expired', providerOrderNo: a1.providerOrderNo, rawStatus: 'session expired' });
      expect((await attemptRow(l, a1.id)).status).to.equal('expired');
      expect((await paymentRow(l, p.id)).status).to.equal('awaiting');
    });

    it('lets an attempt reported failed still become paid when the provider later verifies the money', async () => {
      const p = await newPayment(l);
      const a1 = await newAttempt(l, p.id);
      await apply(l, a1, failed(a1));
      await apply(l, a1, paid(a1));
      expect((await paymentRow(l, p.id)).status).to.equal('paid');
    });
  });

  describe('late and double successes', () => {
    it('makes a success after expiry paid AND needs review (paid_after_expiry), with an exception and a task', async () => {
      const p = await newPayment(l);
      const a1 = await newAttempt(l, p.id);
      l.clock.advance(25 * HOUR);
      await expirePayment(l.deps, { paymentId: p.id });
      expect((await paymentRow(l, p.id)).status).to.equal('expired');
      await apply(l, a1, paid(a1));
      const row = await paymentRow(l, p.id);
      expect(row.status).to.equal('paid');
      expect(row.paidAmountMinor).to.equal(150000);
      expect(row.reviewReason).to.equal('paid_after_expiry');
      expect(row.reviewSince).to.equal(l.clock.now());
      expect(crmStatusOf({ status: 'paid', needsReview: true })).to.equal('manual_review');
      expect(await tasksFor(l, p.id)).to.deep.equal([`task:needs_review:${p.id}:paid_after_expiry`]);
      const { exceptions } = l.db.t;
      const ex = await l.db.select().from(exceptions).where(eq(exceptions.paymentId, p.id));
      expect(ex.map((e) => [e.kind, e.dedupeKey])).to.deep.equal([['needs_review', `needs_review:${p.id}:paid_after_expiry`]]);
      expect((await countsFor(l, p)).actions).to.deep.equal(['created', 'attempt_opened', 'expired', 'paid', 'paid_after_expiry']);
    });

    it('makes a success after cancellation paid AND needs review (paid_after_cancel), with a task', async () => {
      const p = await newPayment(l);
      const a1 = await newAttempt(l, p.id);
      await cancelPayment(l.deps, { paymentId: p.id, accountId: l.accountId, actor: 'user:7' });
      expect((await paymentRow(l, p.id)).status).to.equal('cancelled');
      await apply(l, a1, paid(a1));
      const row = await paymentRow(l, p.id);
      expect(row.status).to.equal('paid');
      expect(row.reviewReason).to.equal('paid_after_cancel');
      expect(await tasksFor(l, p.id)).to.deep.equal([`task:needs_review:${p.id}:paid_after_cancel`]);
    });

    it('flags a second successful attempt as double_payment with a task, and keeps the first paid amount and attempt', async () => {
      const p = await newPayment(l);
      const a1 = await newAttempt(l, p.id);
      const a2 = await newAttempt(l, p.id);
      await apply(l, a1, paid(a1, { providerPaymentId: 'sb-1' }));
      const first = await paymentRow(l, p.id);
      await apply(l, a2, paid(a2, { providerPaymentId: 'sb-2' }));
      const row = await paymentRow(l, p.id);
      expect(row.status).to.equal('paid');
      expect(row.reviewReason).to.equal('double_payment');
      expect(row.paidAmountMinor).to.equal(150000);
      expect(row.paidAttemptId).to.equal(a1.id);
      expect(row.paidAt).to.equal(first.paidAt);
      expect(row.providerRef).to.equal('sb-1');
      expect((await attemptRow(l, a2.id)).status).to.equal('paid');
      expect(await tasksFor(l, p.id)).to.deep.equal([`task:needs_review:${p.id}:double_payment`]);
    });
  });

  describe('mismatches never pay', () => {
    it('flags an amount mismatch for review and NEVER marks the payment paid', async () => {
      const p = await newPayment(l);
      const a1 = await newAttempt(l, p.id);
      const d = await apply(l, a1, paid(a1, { amountMinor: 149999 }));
      expect(d.outcome).to.equal('needs_review');
      const row = await paymentRow(l, p.id);
      expect(row.status).to.equal('awaiting');
      expect(row.reviewReason).to.equal('amount_mismatch');
      expect(row.paidAt).to.equal(null);
      expect(row.paidAmountMinor).to.equal(null);
      expect((await attemptRow(l, a1.id)).status).to.not.equal('paid');
      expect(await tasksFor(l, p.id)).to.deep.equal([`task:needs_review:${p.id}:amount_mismatch`]);
    });

    it('flags a larger reported amount too (an overpayment is not a payment of this link)', async () => {
      const p = await newPayment(l);
      const a1 = await newAttempt(l, p.id);
      await apply(l, a1, paid(a1, { amountMinor: 150001 }));
      expect((await paymentRow(l, p.id)).status).to.equal('awaiting');
      expect((await paymentRow(l, p.id)).reviewReason).to.equal('amount_mismatch');
    });

    it('flags a currency mismatch for review and NEVER marks the payment paid, even with the right number', async () => {
      const p = await newPayment(l);
      const a1 = await newAttempt(l, p.id);
      await apply(l, a1, paid(a1, { currency: 'USD' }));
      const row = await paymentRow(l, p.id);
      expect(row.status).to.equal('awaiting');
      expect(row.reviewReason).to.equal('currency_mismatch');
      expect(row.paidAt).to.equal(null);
      expect(await tasksFor(l, p.id)).to.deep.equal([`task:needs_review:${p.id}:currency_mismatch`]);
    });

    it('changes nothing when a "paid" fact carries no amount (only a status query may settle it)', async () => {
      const p = await newPayment(l);
      const a1 = await newAttempt(l, p.id);
      const before = await snapshot(l);
      const d = await apply(l, a1, paid(a1, { amountMinor: undefined }));
      expect(d.outcome).to.equal('amount_missing');
      expect(await snapshot(l)).to.deep.equal(before);
    });

    it("changes nothing when the fact's order number is another attempt's", async () => {
      const p = await newPayment(l);
      const a1 = await newAttempt(l, p.id);
      const a2 = await newAttempt(l, p.id);
      const before = await snapshot(l);
      for (const status of ['paid', 'failed', 'pending'] as const) {
        const d = await apply(l, a1, { ...paid(a1), status, providerOrderNo: a2.providerOrderNo });
        expect(d.outcome).to.equal('order_number_mismatch');
      }
      expect(await snapshot(l)).to.deep.equal(before);
    });

    it('changes nothing for a fact about an attempt that does not exist', async () => {
      await newPayment(l);
      const before = await snapshot(l);
      const d = await applyUnknown(l);
      expect(d.outcome).to.equal('unknown_attempt');
      expect(await snapshot(l)).to.deep.equal(before);
    });
  });

  describe('duplicates change nothing', () => {
    const cases: Array<[string, (l: Ledger, a1: Awaited<ReturnType<typeof newAttempt>>) => Promise<unknown>]> = [
      ['paid', (l, a1) => apply(l, a1, paid(a1))],
      ['failed', (l, a1) => apply(l, a1, failed(a1))],
      ['pending', (l, a1) => apply(l, a1, { status: 'pending', providerOrderNo: a1.providerOrderNo, rawStatus: 'pending' })],
      ['amount mismatch', (l, a1) => apply(l, a1, paid(a1, { amountMinor: 1 }))],
      ['refund total', (l, a1) => apply(l, a1, paid(a1, { refundedTotalMinor: 1000 }))],
    ];
    for (const [name, send] of cases) {
      it(`writes one audit entry and queues one note for the same ${name} fact sent twice`, async () => {
        const p = await newPayment(l);
        const a1 = await newAttempt(l, p.id);
        const base = await countsFor(l, p);
        await send(l, a1);
        const once = await countsFor(l, p);
        const snap = await snapshot(l);
        await send(l, a1);
        await send(l, a1);
        expect(await countsFor(l, p)).to.deep.equal(once);
        expect(await snapshot(l)).to.deep.equal(snap);
        expect(once.audit).to.be.greaterThan(base.audit);
      });
    }

    it('does not write a second mismatch entry for a replayed mismatch while the payment already needs review for another reason', async () => {
      const p = await newPayment(l);
      const a1 = await newAttempt(l, p.id);
      const a2 = await newAttempt(l, p.id);
      await apply(l, a1, paid(a1));
      await apply(l, a2, paid(a2)); // double_payment: the payment now needs review
      await apply(l, a2, paid(a2, { amountMinor: 1, rawStatus: 'weird' }));
      const once = await countsFor(l, p);
      await apply(l, a2, paid(a2, { amountMinor: 1, rawStatus: 'weird' }));
      expect(await countsFor(l, p)).to.deep.equal(once);
    });
  });

  describe('every state change writes its audit entry and outbox rows', () => {
    it('writes audit + note for created, paid and failed; one coalesced lead update per lead; a task only for exceptions', async () => {
      const p = await newPayment(l);
      let c = await countsFor(l, p);
      expect(c).to.deep.include({ audit: 1, notes: 1, leadUpdates: 1, tasks: 0, actions: ['created'] });
      const a1 = await newAttempt(l, p.id);
      await apply(l, a1, { status: 'pending', providerOrderNo: a1.providerOrderNo, rawStatus: 'pending' });
      c = await countsFor(l, p);
      expect(c).to.deep.include({ audit: 3, notes: 1, leadUpdates: 1, tasks: 0 });
      await apply(l, a1, failed(a1));
      c = await countsFor(l, p);
      expect(c).to.deep.include({ audit: 4, notes: 2, leadUpdates: 1, tasks: 0 });
      const a2 = await newAttempt(l, p.id);
      await apply(l, a2, paid(a2));
      c = await countsFor(l, p);
      expect(c).to.deep.include({ audit: 6, notes: 3, leadUpdates: 1, tasks: 0 });
      expect(c.actions).to.deep.equal(['created', 'attempt_opened', 'attempt_pending', 'attempt_failed', 'attempt_opened', 'paid']);
      const { syncJobs } = l.db.t;
      const [lead] = await l.db
        .select()
        .from(syncJobs)
        .where(eq(syncJobs.dedupeKey, `lead:${p.leadId}`));
      expect(lead.state).to.equal('pending');
      expect(lead.generation, 'each change re-arms the one lead update').to.be.greaterThanOrEqual(4);
    });

    it('queues one lead update per lead even for two payments on the same lead', async () => {
      const p1 = await newPayment(l, { leadId: 77 });
      const p2 = await newPayment(l, { leadId: 77 });
      const a = await newAttempt(l, p2.id);
      await apply(l, a, paid(a));
      const { syncJobs } = l.db.t;
      expect((await l.db.select().from(syncJobs).where(eq(syncJobs.kind, 'lead_update'))).map((j) => j.dedupeKey)).to.deep.equal([
        'lead:77',
      ]);
      expect((await countsFor(l, p1)).notes).to.equal(1);
      expect((await countsFor(l, p2)).notes).to.equal(2);
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
