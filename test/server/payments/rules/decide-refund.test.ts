import { expect } from 'chai';
import { decideRefundSucceeded } from '../../../../server/payments/rules/decide-refund.ts';
import { refundableMinor } from '../../../../server/payments/rules/refund-status.ts';
import { payment } from './rule-fixture.ts';

describe('server/payments/rules decideRefundSucceeded', () => {
  it('adds a refund up to the paid amount and no further', () => {
    const p = payment({ status: 'paid' });
    expect(refundableMinor(p)).to.equal(100000);
    const d1 = decideRefundSucceeded(p, 40000, 'r1');
    expect(d1.payment).to.deep.include({ status: 'partially_refunded', refundedAmountMinor: 40000 });
    expect(d1.events).to.deep.equal([
      { type: 'partially_refunded', refundId: 'r1', amountMinor: 40000, refundedTotalMinor: 40000, source: 'manager' },
    ]);
    const d2 = decideRefundSucceeded(d1.payment, 90000, 'r2');
    expect(d2.payment).to.deep.include({ status: 'refunded', refundedAmountMinor: 100000 });
    expect(d2.events).to.deep.equal([
      { type: 'refunded', refundId: 'r2', amountMinor: 60000, refundedTotalMinor: 100000, source: 'manager' },
    ]);
    expect(decideRefundSucceeded(d2.payment, 1, 'r3').events).to.deep.equal([]);
    expect(refundableMinor(payment({ status: 'awaiting' }))).to.equal(0);
  });
});
