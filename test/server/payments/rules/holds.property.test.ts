import { expect } from 'chai';
import fc from 'fast-check';
import { isMoneyTaken } from '../../../../shared/status.ts';
import { decideCancel } from '../../../../server/payments/rules/decide-cancel.ts';
import { decideExpire } from '../../../../server/payments/rules/decide-expire.ts';
import { decideHoldActionFailed } from '../../../../server/payments/rules/decide-hold-action.ts';
import { decideProviderFact } from '../../../../server/payments/rules/decide-provider-fact.ts';
import type { AttemptState, Decision, PaymentState } from '../../../../server/payments/rules/state.ts';
import type { ProviderFact } from '../../../../server/providers/provider.ts';
import { attempt, NOW, payment } from './rule-fixture.ts';

type Op = { k: 'hold' | 'hold_wrong_amount' | 'paid' | 'failed' | 'voided' | 'capture_failed'; a: number } | { k: 'cancel' | 'expire' };

const factFor = (op: Op, a: AttemptState): ProviderFact => {
  const base = { providerOrderNo: a.providerOrderNo, currency: a.currency, amountMinor: a.amountMinor };
  switch (op.k) {
    case 'hold':
      return { ...base, status: 'authorized', rawStatus: '1', captureMode: 'manual' };
    case 'hold_wrong_amount':
      return { ...base, status: 'authorized', amountMinor: 1, rawStatus: '1 wrong' };
    case 'paid':
      return { ...base, status: 'paid', rawStatus: '2' };
    case 'failed':
      return { providerOrderNo: a.providerOrderNo, status: 'failed', rawStatus: '6' };
    default:
      return { providerOrderNo: a.providerOrderNo, status: 'cancelled', rawStatus: '3' };
  }
};

interface World {
  payment: PaymentState;
  attempts: AttemptState[];
}

/** One operation through the pure rules, as the ledger would commit it. */
function step(w: World, op: Op, now: number): World {
  let d: Decision | { refused: string } | undefined;
  if (!('a' in op)) d = op.k === 'cancel' ? decideCancel(w.payment) : decideExpire(w.payment, Math.max(now, w.payment.expiresAt));
  else {
    const a = w.attempts[op.a];
    if (op.k !== 'capture_failed') d = decideProviderFact(w.payment, w.attempts, a.id, factFor(op, a), now);
    else if (a.status === 'authorized') d = decideHoldActionFailed(w.payment, a, { kind: 'capture', actionId: 'h', message: null, now });
  }
  if (!d || 'refused' in d) return w;
  const next = d.attempt;
  return { payment: d.payment, attempts: next ? w.attempts.map((a) => (a.id === next.id ? next : a)) : w.attempts };
}

const attemptIdx = fc.integer({ min: 0, max: 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ k: fc.constant('hold' as const), a: attemptIdx }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('hold_wrong_amount' as const), a: attemptIdx }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('paid' as const), a: attemptIdx }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('failed' as const), a: attemptIdx }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('voided' as const), a: attemptIdx }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('capture_failed' as const), a: attemptIdx }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('cancel' as const) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('expire' as const) }) },
);

describe('status rules: holds in any order (property)', () => {
  it('paid never goes back, a hold never counts as paid, and a capture after expiry or cancel needs review', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 20 }), (ops) => {
        let w: World = { payment: payment(), attempts: [attempt('a1', 1), attempt('a2', 2)] };
        let paidReported = false;
        ops.forEach((op, i) => {
          const before = w;
          w = step(w, op, NOW + i * 1000);
          const takenBefore = isMoneyTaken(before.payment.status);
          const takenAfter = isMoneyTaken(w.payment.status);
          // Paid never goes back.
          if (takenBefore) expect(takenAfter, `${op.k} undid paid`).to.equal(true);
          // A hold never counts as paid: money is taken only once a capture (paid) was reported, and only by a paid attempt.
          if (op.k === 'paid' && w.attempts[op.a].status === 'paid') paidReported = true;
          if (takenAfter) {
            expect(paidReported, 'money taken without a reported capture').to.equal(true);
            expect(w.attempts.find((a) => a.id === w.payment.paidAttemptId)?.status).to.equal('paid');
          }
          if (op.k === 'hold' || op.k === 'hold_wrong_amount')
            expect(w.payment.status, 'a hold moved the payment').to.equal(before.payment.status);
          // A capture (paid) landing on a cancelled or expired payment: paid, and a person reviews it.
          const late = before.payment.status === 'cancelled' || before.payment.status === 'expired';
          if (op.k === 'paid' && late && !takenBefore && takenAfter)
            expect(w.payment.reviewReason, 'capture after close without review').to.not.equal(null);
        });
      }),
      { numRuns: 500 },
    );
  });
});
