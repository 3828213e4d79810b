import { expect } from 'chai';
import { decideProviderFact } from '../../../../server/payments/rules/decide-provider-fact.ts';
import type { ProviderFact } from '../../../../server/providers/provider.ts';
import { NOW, attempt, paidFact, payment } from './rule-fixture.ts';

/** The review flag an attempt carries, which replaced the `mismatch:`/`unclear:` markers inside rawStatus. */
describe('server/payments/rules: attempt review flags', () => {
  const held = (a: { providerOrderNo: string }): ProviderFact => ({
    status: 'unknown',
    needsPerson: true,
    providerOrderNo: a.providerOrderNo,
    rawStatus: 'APPROVED (held)',
  });

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

  it('asks a person once per attempt and held answer, however often the reconciler hears it', () => {
    const a1 = attempt('a1', 1);
    const first = decideProviderFact(payment(), [a1], 'a1', held(a1), NOW);
    expect(first.events).to.deep.equal([
      { type: 'review_needed', reason: 'provider_unclear', attemptId: 'a1', rawStatus: 'APPROVED (held)' },
    ]);
    expect(first.attempt).to.deep.include({
      rawStatus: 'APPROVED (held)',
      flag: { reason: 'provider_unclear', rawStatus: 'APPROVED (held)' },
    });
    const second = decideProviderFact(first.payment, [first.attempt!], 'a1', held(a1), NOW + 1);
    expect(second).to.deep.include({ outcome: 'status_unknown', events: [] });
    const other = decideProviderFact(first.payment, [first.attempt!], 'a1', { ...held(a1), rawStatus: 'DEPOSITED?' }, NOW + 2);
    expect(other.outcome, 'a different held answer is asked about').to.equal('needs_review');
  });

  it('does not take an unclear flag for a mismatch flag (or the other way round)', () => {
    const a1 = attempt('a1', 1, { flag: { reason: 'provider_unclear', rawStatus: 'ok' } });
    expect(decideProviderFact(payment(), [a1], 'a1', paidFact(a1, { amountMinor: 1 }), NOW).outcome).to.equal('needs_review');
    const a2 = attempt('a2', 1, { flag: { reason: 'amount_mismatch', rawStatus: '?' } });
    const unclear = { status: 'unknown', needsPerson: true, providerOrderNo: 'ord-a2', rawStatus: '?' } as const;
    expect(decideProviderFact(payment(), [a2], 'a2', unclear, NOW).outcome).to.equal('needs_review');
  });

  it('clears the flag when the attempt is paid for real', () => {
    const a1 = attempt('a1', 1, { flag: { reason: 'amount_mismatch', rawStatus: 'early' } });
    const d = decideProviderFact(payment(), [a1], 'a1', paidFact(a1), NOW);
    expect(d.attempt).to.deep.include({ status: 'paid', rawStatus: 'ok', flag: null });
  });
});
