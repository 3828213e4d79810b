import { expect } from 'chai';
import { PAYMENT_STATUSES, isMoneyTaken, type PaymentStatus } from '../../../../shared/status.ts';
import { decideAttemptOpened } from '../../../../server/payments/rules/decide-attempt-opened.ts';
import { decideCancel } from '../../../../server/payments/rules/decide-cancel.ts';
import { decideExpire } from '../../../../server/payments/rules/decide-expire.ts';
import { decideProviderFact } from '../../../../server/payments/rules/decide-provider-fact.ts';
import { FACTS, NOW, attempt, paidFact, payment } from './rule-fixture.ts';

describe('server/payments/rules decideProviderFact (pure rules)', () => {
  describe('money taken never moves back', () => {
    for (const status of ['paid', 'partially_refunded', 'refunded'] as const) {
      for (const [name, fact] of FACTS) {
        for (const target of ['paid attempt', 'newer attempt'] as const) {
          it(`keeps a ${status} payment ${status} (or further refunded) after a ${name} fact on the ${target}`, () => {
            const a1 = attempt('a1', 1, { status: 'paid' });
            const a2 = attempt('a2', 2, { status: 'pending' });
            const p = payment({ status });
            const d = decideProviderFact(
              p,
              [a1, a2],
              target === 'paid attempt' ? 'a1' : 'a2',
              fact(target === 'paid attempt' ? a1 : a2),
              NOW,
            );
            expect(isMoneyTaken(d.payment.status), d.payment.status).to.equal(true);
            expect(d.payment.paidAt).to.equal(p.paidAt);
            expect(d.payment.paidAmountMinor).to.equal(p.paidAmountMinor);
            expect(d.payment.refundedAmountMinor).to.be.at.least(p.refundedAmountMinor);
          });
        }
      }
      it(`does not expire, cancel or reopen a ${status} payment`, () => {
        const p = payment({ status, expiresAt: NOW - 1 });
        expect(decideExpire(p, NOW).events).to.deep.equal([]);
        expect(decideCancel(p)).to.deep.equal({ refused: 'already_paid' });
        expect(decideAttemptOpened(p, NOW)).to.deep.equal({ refused: 'already_paid' });
      });
    }
  });

  describe('only a paid fact with matching amount and currency pays', () => {
    for (const status of PAYMENT_STATUSES.filter((s) => !isMoneyTaken(s))) {
      for (const [name, fact] of FACTS.filter(([n]) => n !== 'paid' && n !== 'paid with smaller refund total')) {
        it(`does not make a ${status} payment paid from a ${name} fact`, () => {
          const a1 = attempt('a1', 1);
          const d = decideProviderFact(payment({ status: status as PaymentStatus }), [a1], 'a1', fact(a1), NOW);
          expect(isMoneyTaken(d.payment.status)).to.equal(false);
          expect(d.payment.paidAt).to.equal(null);
        });
      }
    }

    it('treats a currency the provider named but we do not recognise as a currency mismatch, not as paid', () => {
      const a1 = attempt('a1', 1);
      const d = decideProviderFact(payment(), [a1], 'a1', paidFact(a1, { currency: undefined, unrecognizedCurrency: 'XYZ' }), NOW);
      expect(d.payment.status).to.equal('awaiting');
      expect(d.events).to.deep.equal([
        {
          type: 'review_needed',
          reason: 'currency_mismatch',
          attemptId: 'a1',
          expected: { amountMinor: 100000, currency: 'AMD' },
          reported: { amountMinor: 100000, currency: 'XYZ' },
        },
      ]);
    });
  });

  describe('review reasons', () => {
    it('keeps the first review reason and its time when a second conflict arrives', () => {
      const a1 = attempt('a1', 1, { status: 'paid' });
      const a2 = attempt('a2', 2);
      const p = payment({ status: 'paid', reviewReason: 'paid_after_expiry', reviewSince: NOW - 5 });
      const d = decideProviderFact(p, [a1, a2], 'a2', paidFact(a2), NOW);
      expect(d.payment).to.deep.include({ reviewReason: 'paid_after_expiry', reviewSince: NOW - 5 });
      expect(d.events).to.deep.equal([
        {
          type: 'review_needed',
          reason: 'double_payment',
          attemptId: 'a2',
          firstAttemptId: 'a1',
          amountMinor: 100000,
          providerRef: 'ord-a2',
        },
      ]);
    });

    it('emits paid then review_needed (paid_after_expiry) for money taken after the link expired', () => {
      const a1 = attempt('a1', 1);
      const d = decideProviderFact(payment({ status: 'expired' }), [a1], 'a1', paidFact(a1, { providerPaymentId: 'pp-1' }), NOW);
      expect(d.payment).to.deep.include({ status: 'paid', reviewReason: 'paid_after_expiry', providerRef: 'pp-1' });
      expect(d.events.map((e) => (e.type === 'review_needed' ? `${e.type}:${e.reason}` : e.type))).to.deep.equal([
        'paid',
        'review_needed:paid_after_expiry',
      ]);
    });

    it('records a provider refund total above the paid amount as refunded in full plus refund_exceeds_paid', () => {
      const a1 = attempt('a1', 1, { status: 'paid' });
      const d = decideProviderFact(payment({ status: 'paid' }), [a1], 'a1', paidFact(a1, { refundedTotalMinor: 120000 }), NOW);
      expect(d.providerRefundMinor).to.equal(100000);
      expect(d.payment).to.deep.include({ status: 'refunded', refundedAmountMinor: 100000, reviewReason: 'refund_exceeds_paid' });
      expect(d.events).to.deep.equal([
        { type: 'refunded', attemptId: 'a1', amountMinor: 100000, refundedTotalMinor: 100000, source: 'provider' },
        { type: 'review_needed', reason: 'refund_exceeds_paid', attemptId: 'a1', reportedTotalMinor: 120000, paidMinor: 100000 },
      ]);
    });
  });
});
