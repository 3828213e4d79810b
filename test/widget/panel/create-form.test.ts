import { expect } from 'chai';
import { parseCreateForm, parseRefundAmount } from '../../../widget/src/panel/create-form.ts';

const ok = { amount: '1 900,50', currency: 'AMD', description: '  Deposit  ', hours: '24', 'provider.idram': true, 'provider.arca': false };

describe('parseCreateForm', () => {
  it('converts the major-unit amount a manager types (with grouping spaces) to minor units', () => {
    const r = parseCreateForm(ok, ['idram', 'arca']);
    expect(r).to.deep.equal({
      ok: true,
      body: { amountMinor: 190050, currency: 'AMD', expiresInHours: 24, description: 'Deposit', providers: ['idram'] },
    });
  });

  for (const amount of ['', '0', '-5', 'abc', '1e5']) {
    it(`rejects the amount "${amount}" inline instead of sending it`, () => {
      const r = parseCreateForm({ ...ok, amount }, ['idram']);
      expect(r.ok).to.equal(false);
      if (!r.ok) expect(r.errors.amount.key).to.equal('errors.amount');
    });
  }

  it('says "too many decimals" for 12.345 and names the real limit above it, not "at most 2 decimals"', () => {
    const decimals = parseCreateForm({ ...ok, amount: '12.345' }, ['idram']);
    expect(!decimals.ok && decimals.errors.amount).to.deep.equal({ key: 'errors.amount_decimals', vars: { decimals: 2 } });
    const big = parseCreateForm({ ...ok, amount: '10000000001' }, ['idram']);
    expect(!big.ok && big.errors.amount).to.deep.equal({
      key: 'errors.amount_max',
      vars: { max: '10\u00a0000\u00a0000\u00a0000\u00a0AMD' },
    });
    expect(parseCreateForm({ ...ok, amount: '10 000 000 000' }, ['idram']).ok, 'the limit itself is fine').to.equal(true);
  });

  it('offers only methods that take the chosen currency: a USD link is not sent to Idram', () => {
    const currencies = { idram: ['AMD'], arca: ['AMD', 'USD'] };
    const both = { ...ok, currency: 'USD', 'provider.idram': true, 'provider.arca': true };
    const r = parseCreateForm(both, ['idram', 'arca'], currencies);
    expect(r.ok && r.body.providers).to.deep.equal(['arca']);
    const onlyIdram = parseCreateForm({ ...both, 'provider.arca': false }, ['idram', 'arca'], currencies);
    expect(!onlyIdram.ok && onlyIdram.errors.providers.key).to.equal('errors.providers');
  });

  it('requires at least one payment method when the server listed them', () => {
    const r = parseCreateForm({ ...ok, 'provider.idram': false }, ['idram', 'arca']);
    expect(!r.ok && r.errors.providers.key).to.equal('errors.providers');
  });

  it('leaves providers to the server when it did not say which are enabled', () => {
    const r = parseCreateForm(ok, undefined);
    expect(r.ok && 'providers' in r.body).to.equal(false);
  });

  it('rejects expiry hours that are not whole hours within 90 days', () => {
    for (const hours of ['0', '1.5', '2161', 'x']) {
      const r = parseCreateForm({ ...ok, hours }, ['idram']);
      expect(!r.ok && r.errors.hours.key, hours).to.equal('errors.hours');
    }
  });

  it('omits an empty description rather than sending an empty string the server rejects', () => {
    const r = parseCreateForm({ ...ok, description: '   ' }, ['idram']);
    expect(r.ok && 'description' in r.body).to.equal(false);
  });

  it('rejects a description over 500 characters', () => {
    const r = parseCreateForm({ ...ok, description: 'x'.repeat(501) }, ['idram']);
    expect(!r.ok && r.errors.description.vars).to.deep.equal({ max: 500 });
  });
});

describe('parseRefundAmount', () => {
  it('accepts up to what is left and nothing more', () => {
    expect(parseRefundAmount('1900', 'AMD', 190000)).to.equal(190000);
    expect(parseRefundAmount('1900.01', 'AMD', 190000)).to.equal(undefined);
    expect(parseRefundAmount('0', 'AMD', 190000)).to.equal(undefined);
  });
});
