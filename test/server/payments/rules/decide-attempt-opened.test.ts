import { expect } from 'chai';
import { decideAttemptOpened } from '../../../../server/payments/rules/decide-attempt-opened.ts';
import { NOW, payment } from './rule-fixture.ts';

describe('server/payments/rules decideAttemptOpened', () => {
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
