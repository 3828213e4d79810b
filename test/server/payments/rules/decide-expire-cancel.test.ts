import { expect } from 'chai';
import { decideCancel } from '../../../../server/payments/rules/decide-cancel.ts';
import { decideExpire } from '../../../../server/payments/rules/decide-expire.ts';
import { NOW, payment } from './rule-fixture.ts';

describe('server/payments/rules decideExpire and decideCancel', () => {
  it('expires a payable link only once its lifetime is over', () => {
    expect(decideExpire(payment({ expiresAt: NOW + 1 }), NOW)).to.deep.include({ outcome: 'no_change', events: [] });
    for (const status of ['awaiting', 'failed'] as const) {
      const d = decideExpire(payment({ status, expiresAt: NOW }), NOW);
      expect(d.payment.status).to.equal('expired');
      expect(d.events).to.deep.equal([{ type: 'expired', expiresAt: NOW }]);
    }
    expect(decideExpire(payment({ status: 'cancelled', expiresAt: NOW }), NOW).events).to.deep.equal([]);
  });

  it('cancels an awaiting or failed link and refuses the ones already closed', () => {
    const d = decideCancel(payment({ status: 'failed' }));
    expect(d).to.deep.include({ outcome: 'applied', events: [{ type: 'cancelled' }] });
    expect(decideCancel(payment({ status: 'cancelled' }))).to.deep.equal({ refused: 'cancelled' });
    expect(decideCancel(payment({ status: 'expired' }))).to.deep.equal({ refused: 'expired' });
  });
});
