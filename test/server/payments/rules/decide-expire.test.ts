import { expect } from 'chai';
import { decideExpire } from '../../../../server/payments/rules/decide-expire.ts';
import { NOW, payment } from './rule-fixture.ts';

describe('server/payments/rules decideExpire', () => {
  it('expires a payable link only once its lifetime is over, and nothing already closed', () => {
    expect(decideExpire(payment({ expiresAt: NOW + 1 }), NOW)).to.deep.include({ outcome: 'no_change', events: [] });
    for (const status of ['awaiting', 'failed'] as const) {
      const d = decideExpire(payment({ status, expiresAt: NOW }), NOW);
      expect(d.payment.status).to.equal('expired');
      expect(d.events).to.deep.equal([{ type: 'expired', expiresAt: NOW }]);
    }
    expect(decideExpire(payment({ status: 'cancelled', expiresAt: NOW }), NOW).events).to.deep.equal([]);
  });
});
