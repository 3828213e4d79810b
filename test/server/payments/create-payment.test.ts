import { expect } from 'chai';
import { MAX_AMOUNT_MINOR } from '../../../shared/money.ts';
import { HOUR, countsFor, newPayment, openLedger, snapshot, type Ledger, errorOf } from './ledger-fixture.ts';
import { describeStores } from '../../support/stores.ts';

const label = (v: unknown) => (typeof v === 'string' || (typeof v === 'object' && v !== null) ? JSON.stringify(v) : String(v));

describeStores('server/payments createPayment', (kind) => {
  let l: Ledger;
  beforeEach(async () => {
    l = await openLedger({ store: kind });
  });
  afterEach(() => l.close());

  it('locks amount and currency, sets the expiry, and writes audit, note and lead update together', async () => {
    const p = await newPayment(l, { amountMinor: MAX_AMOUNT_MINOR, currency: 'USD', expiresInHours: 2 });
    expect(p).to.deep.include({ amountMinor: MAX_AMOUNT_MINOR, currency: 'USD', status: 'awaiting', expiresAt: l.clock.now() + 2 * HOUR });
    expect(p.linkToken).to.match(/^[A-Za-z0-9_-]{32,}$/);
    expect(await countsFor(l, p)).to.deep.include({ audit: 1, notes: 1, leadUpdates: 1, tasks: 0, actions: ['created'] });
  });

  const badAmounts: unknown[] = [
    -1,
    0,
    1.5,
    0.1 + 0.2,
    MAX_AMOUNT_MINOR + 1,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '150000',
    '1500.00',
    null,
    undefined,
    {},
    [150000],
  ];
  for (const amountMinor of badAmounts) {
    it(`refuses amount ${label(amountMinor)} with invalid_amount and writes nothing`, async () => {
      const before = await snapshot(l);
      const err = await errorOf(() => newPayment(l, { amountMinor }));
      expect(err.code).to.equal('invalid_amount');
      expect(err.status).to.equal(400);
      expect(await snapshot(l)).to.deep.equal(before);
    });
  }

  for (const currency of ['GBP', 'amd', '', ' AMD', 'toString', 51, null, undefined]) {
    it(`refuses currency ${label(currency)} with unsupported_currency and writes nothing`, async () => {
      const before = await snapshot(l);
      const err = await errorOf(() => newPayment(l, { currency }));
      expect(err.code).to.equal('unsupported_currency');
      expect(err.status).to.equal(400);
      expect(await snapshot(l)).to.deep.equal(before);
    });
  }

  it('refuses a payment for an account that is not installed and writes nothing', async () => {
    const before = await snapshot(l);
    const err = await errorOf(() => newPayment(l, { accountId: 999 }));
    expect(err.code).to.equal('account_not_found');
    expect(await snapshot(l)).to.deep.equal(before);
  });

  it('refuses a bad lead id, provider list or expiry with their own codes and writes nothing', async () => {
    const before = await snapshot(l);
    expect((await errorOf(() => newPayment(l, { leadId: 0 }))).code).to.equal('invalid_lead_id');
    expect((await errorOf(() => newPayment(l, { leadId: 1.5 }))).code).to.equal('invalid_lead_id');
    expect((await errorOf(() => newPayment(l, { providers: [] }))).code).to.equal('invalid_providers');
    expect((await errorOf(() => newPayment(l, { providers: ['paypal' as never] }))).code).to.equal('invalid_providers');
    expect((await errorOf(() => newPayment(l, { expiresInHours: 0 }))).code).to.equal('invalid_expiry');
    expect((await errorOf(() => newPayment(l, { expiresInHours: Number.NaN }))).code).to.equal('invalid_expiry');
    expect(await snapshot(l)).to.deep.equal(before);
  });
});
