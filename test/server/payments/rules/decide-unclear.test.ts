import { expect } from 'chai';
import { decideProviderFact } from '../../../../server/payments/rules/decide-provider-fact.ts';
import type { ProviderFact } from '../../../../server/providers/provider.ts';
import { NOW, attempt, payment } from './rule-fixture.ts';

const held = (a: { providerOrderNo: string }, rawStatus = 'APPROVED (held)'): ProviderFact => ({
  status: 'unknown',
  needsPerson: true,
  providerOrderNo: a.providerOrderNo,
  rawStatus,
});

/** The review flag for an answer only a person can settle (it replaced the `unclear:` marker inside rawStatus). */
describe('server/payments/rules decideUnclear: a person is asked once per attempt and answer', () => {
  it('asks once however often the reconciler hears the same held answer, and again for a different one', () => {
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
    const other = decideProviderFact(first.payment, [first.attempt!], 'a1', held(a1, 'DEPOSITED?'), NOW + 2);
    expect(other.outcome, 'a different held answer is asked about').to.equal('needs_review');
  });

  it('does not take a mismatch flag for an unclear flag', () => {
    const a1 = attempt('a1', 1, { flag: { reason: 'amount_mismatch', rawStatus: '?' } });
    expect(decideProviderFact(payment(), [a1], 'a1', held(a1, '?'), NOW).outcome).to.equal('needs_review');
  });

  it('changes nothing for an unclear answer that needs no person, or about an attempt already paid', () => {
    const a1 = attempt('a1', 1);
    expect(decideProviderFact(payment(), [a1], 'a1', { ...held(a1), needsPerson: false }, NOW).events).to.deep.equal([]);
    const paid = attempt('a1', 1, { status: 'paid' });
    expect(decideProviderFact(payment({ status: 'paid' }), [paid], 'a1', held(paid), NOW).events).to.deep.equal([]);
  });
});
