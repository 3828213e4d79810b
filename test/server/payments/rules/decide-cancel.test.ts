import { expect } from 'chai';
import { decideCancel } from '../../../../server/payments/rules/decide-cancel.ts';
import { payment } from './rule-fixture.ts';

describe('server/payments/rules decideCancel', () => {
  it('cancels an awaiting or failed link and refuses the ones already closed', () => {
    expect(decideCancel(payment())).to.deep.include({ outcome: 'applied', events: [{ type: 'cancelled' }] });
    expect(decideCancel(payment({ status: 'failed' }))).to.deep.include({ payment: payment({ status: 'cancelled' }) });
    expect(decideCancel(payment({ status: 'cancelled' }))).to.deep.equal({ refused: 'cancelled' });
    expect(decideCancel(payment({ status: 'expired' }))).to.deep.equal({ refused: 'expired' });
  });
});
