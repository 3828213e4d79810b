import { expect } from 'chai';
import { PAYMENT_STATUSES, isMoneyTaken, type PaymentStatus } from '../../shared/status.ts';
import {
  decideAttemptOpened,
  decideCancel,
  decideExpire,
  decideProviderFact,
  decideRefundSucceeded,
  refundableMinor,
  type AttemptState,
  type PaymentState,
  type VerifiedFact,
} from '../../shared/transitions.ts';

const NOW = Date.UTC(2026, 0, 15, 10, 0, 0);

function payment(over: Partial<PaymentState> = {}): PaymentState {
  const taken = isMoneyTaken(over.status ?? 'awaiting');
  return {
    status: 'awaiting',
    amountMinor: 100000,
    currency: 'AMD',
    expiresAt: NOW + 3_600_000,
    paidAt: taken ? NOW - 1000 : null,
    paidAmountMinor: taken ? 100000 : null,
    paidAttemptId: taken ? 'a1' : null,
    providerRef: taken ? 'ref-1' : null,
    refundedAmountMinor: over.status === 'refunded' ? 100000 : over.status === 'partially_refunded' ? 40000 : 0,
    reviewReason: null,
    reviewSince: null,
    ...over,
  };
}

function attempt(id: string, seq: number, over: Partial<AttemptState> = {}): AttemptState {
  return {
    id,
    seq,
    status: 'pending',
    amountMinor: 100000,
    currency: 'AMD',
    providerOrderNo: `ord-${id}`,
    providerPaymentId: null,
    rawStatus: null,
    ...over,
  };
}

const FACTS: Array<[string, (a: AttemptState) => VerifiedFact]> = [
  ['pending', (a) => ({ status: 'pending', providerOrderNo: a.providerOrderNo, rawStatus: 'p' })],
  ['failed', (a) => ({ status: 'failed', providerOrderNo: a.providerOrderNo, rawStatus: 'declined' })],
  ['expired', (a) => ({ status: 'expired', providerOrderNo: a.providerOrderNo, rawStatus: 'timeout' })],
  ['cancelled', (a) => ({ status: 'cancelled', providerOrderNo: a.providerOrderNo, rawStatus: 'voided' })],
  ['unknown', (a) => ({ status: 'unknown', providerOrderNo: a.providerOrderNo, rawStatus: '?' })],
  [
    'paid',
    (a) => ({ status: 'paid', amountMinor: a.amountMinor, currency: a.currency, providerOrderNo: a.providerOrderNo, rawStatus: 'ok' }),
  ],
  [
    'paid with smaller refund total',
    (a) => ({ status: 'paid', amountMinor: a.amountMinor, currency: 'AMD', refundedTotalMinor: 0, rawStatus: 'ok' }),
  ],
  ['amount mismatch', (a) => ({ status: 'paid', amountMinor: 1, currency: 'AMD', providerOrderNo: a.providerOrderNo, rawStatus: 'ok' })],
  [
    'currency mismatch',
    (a) => ({ status: 'paid', amountMinor: a.amountMinor, currency: 'USD', providerOrderNo: a.providerOrderNo, rawStatus: 'ok' }),
  ],
];

describe('shared/transitions (pure rules)', () => {
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
  });

  describe('opening attempts', () => {
    it('returns a failed payment to awaiting and keeps awaiting as is', () => {
      expect(decideAttemptOpened(payment({ status: 'failed' }), NOW)).to.deep.equal({ payment: payment({ status: 'awaiting' }) });
      expect(decideAttemptOpened(payment(), NOW)).to.deep.equal({ payment: payment() });
    });
    it('refuses expired (also past the expiry before the reconciler ran) and cancelled links', () => {
      expect(decideAttemptOpened(payment({ status: 'expired' }), NOW)).to.deep.equal({ refused: 'expired' });
      expect(decideAttemptOpened(payment({ expiresAt: NOW }), NOW)).to.deep.equal({ refused: 'expired' });
      expect(decideAttemptOpened(payment({ status: 'cancelled' }), NOW)).to.deep.equal({ refused: 'cancelled' });
    });
  });

  describe('refunds', () => {
    it('adds a refund up to the paid amount and no further', () => {
      const p = payment({ status: 'paid' });
      expect(refundableMinor(p)).to.equal(100000);
      const d1 = decideRefundSucceeded(p, 40000, 'r1');
      expect(d1.payment).to.deep.include({ status: 'partially_refunded', refundedAmountMinor: 40000 });
      const d2 = decideRefundSucceeded(d1.payment, 90000, 'r2');
      expect(d2.payment).to.deep.include({ status: 'refunded', refundedAmountMinor: 100000 });
      expect(d2.events[0].details).to.deep.include({ amountMinor: 60000 });
      expect(decideRefundSucceeded(d2.payment, 1, 'r3').events).to.deep.equal([]);
      expect(refundableMinor(payment({ status: 'awaiting' }))).to.equal(0);
    });
  });

  describe('review reasons', () => {
    it('keeps the first review reason and its time when a second conflict arrives', () => {
      const a1 = attempt('a1', 1, { status: 'paid' });
      const a2 = attempt('a2', 2);
      const p = payment({ status: 'paid', reviewReason: 'paid_after_expiry', reviewSince: NOW - 5 });
      const d = decideProviderFact(p, [a1, a2], 'a2', FACTS[5][1](a2), NOW);
      expect(d.payment).to.deep.include({ reviewReason: 'paid_after_expiry', reviewSince: NOW - 5 });
      expect(d.events.map((e) => e.action)).to.deep.equal(['double_payment']);
      expect(d.events[0].exception).to.deep.equal({ kind: 'needs_review', reason: 'double_payment' });
    });
  });
});
