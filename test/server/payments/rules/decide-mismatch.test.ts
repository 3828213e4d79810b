import { expect } from 'chai';
import { decideProviderFact } from '../../../../server/payments/rules/decide-provider-fact.ts';
import { NOW, attempt, paidFact, payment } from './rule-fixture.ts';

/** The review flag an attempt carries for a mismatch (it replaced the `mismatch:` marker inside rawStatus). */
describe('server/payments/rules decideMismatch: a paid claim for the wrong money, flagged once', () => {
  it('flags an attempt for the mismatch it reported and keeps rawStatus as the provider said it', () => {
    const a1 = attempt('a1', 1);
    const d = decideProviderFact(payment(), [a1], 'a1', paidFact(a1, { amountMinor: 5, rawStatus: 'Succeeded' }), NOW);
    expect(d.attempt).to.deep.include({ rawStatus: 'Succeeded', flag: { reason: 'amount_mismatch', rawStatus: 'Succeeded' } });
    expect(d.outcome).to.equal('needs_review');
  });

  it('treats a replay of the flagged mismatch as a duplicate even when the payment shows another, earlier reason', () => {
    const a1 = attempt('a1', 1, { flag: { reason: 'currency_mismatch', rawStatus: 'ok' } });
    const p = payment({ reviewReason: 'provider_unclear', reviewSince: NOW - 1 });
    const d = decideProviderFact(p, [a1], 'a1', paidFact(a1, { amountMinor: 1 }), NOW);
    expect(d).to.deep.include({ outcome: 'duplicate', events: [] });
  });

  it('flags the same mismatch again once a later answer moved the attempt on (the flag was cleared)', () => {
    const a1 = attempt('a1', 1, { status: 'created', flag: { reason: 'amount_mismatch', rawStatus: 'ok' } });
    const moved = decideProviderFact(payment(), [a1], 'a1', { status: 'pending', providerOrderNo: 'ord-a1', rawStatus: 'p' }, NOW);
    expect(moved.attempt?.flag).to.equal(null);
    const again = decideProviderFact(payment(), [moved.attempt!], 'a1', paidFact(a1, { amountMinor: 1 }), NOW);
    expect(again.outcome).to.equal('needs_review');
  });

  it('does not take an unclear flag for a mismatch flag', () => {
    const a1 = attempt('a1', 1, { flag: { reason: 'provider_unclear', rawStatus: 'ok' } });
    expect(decideProviderFact(payment(), [a1], 'a1', paidFact(a1, { amountMinor: 1 }), NOW).outcome).to.equal('needs_review');
  });

  it('clears the flag when the attempt is paid for real', () => {
    const a1 = attempt('a1', 1, { flag: { reason: 'amount_mismatch', rawStatus: 'early' } });
    const d = decideProviderFact(payment(), [a1], 'a1', paidFact(a1), NOW);
    expect(d.attempt).to.deep.include({ status: 'paid', rawStatus: 'ok', flag: null });
  });
});
