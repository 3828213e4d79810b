import { expect } from 'chai';
import { applyPayment, defaultDraft, refundableMinor } from '../../../widget/src/panel/panel-state.ts';
import { leadResponse, paidPayment, payment } from '../fixtures.ts';

describe('panel state', () => {
  it('replaces the payment an action returned and recomputes the lead status from it', () => {
    const data = leadResponse([payment()]);
    const next = applyPayment(data, paidPayment());
    expect(next.payments).to.have.length(1);
    expect(next.crmStatus).to.equal('paid');
    expect(data.payments[0].status, 'the old state is not mutated').to.equal('awaiting');
  });

  it('puts a newly created payment first, as the newest', () => {
    const next = applyPayment(leadResponse([paidPayment()]), payment({ id: 'pay_2' }));
    expect(next.payments.map((p) => p.id)).to.deep.equal(['pay_2', 'pay_1']);
    expect(next.crmStatus).to.equal('awaiting_payment');
  });

  it('keeps the lead in manual review while any payment needs review', () => {
    const review = paidPayment({ id: 'pay_0', needsReview: { reason: 'double_payment', since: 'x' }, crmStatus: 'manual_review' });
    expect(applyPayment(leadResponse([review]), payment({ id: 'pay_2' })).crmStatus).to.equal('manual_review');
  });

  it('defaults the refund to what is left after earlier refunds', () => {
    expect(refundableMinor(paidPayment({ status: 'partially_refunded', refundedAmountMinor: 40000 }))).to.equal(150000);
    expect(refundableMinor(payment())).to.equal(0);
  });

  it('starts the create form with no amount when the lead has no price', () => {
    expect(defaultDraft(leadResponse([], { leadPriceMinor: null })).amount).to.equal('');
  });
});
