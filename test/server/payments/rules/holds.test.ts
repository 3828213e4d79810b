import { expect } from 'chai';
import { decideHoldAction, decideHoldActionFailed, settledByStatus } from '../../../../server/payments/rules/decide-hold-action.ts';
import { decideProviderFact } from '../../../../server/payments/rules/decide-provider-fact.ts';
import { holdFollowUp } from '../../../../server/payments/rules/hold-follow-up.ts';
import type { ProviderFact } from '../../../../server/providers/provider.ts';
import { attempt, NOW, paidFact, payment } from './rule-fixture.ts';

const held = (a = attempt('a1', 1), over: Partial<ProviderFact> = {}): ProviderFact => ({
  status: 'authorized',
  amountMinor: a.amountMinor,
  currency: a.currency,
  providerOrderNo: a.providerOrderNo,
  rawStatus: 'OrderStatus 1 payment_approved',
  captureMode: 'manual',
  ...over,
});

describe('status rules: two-stage holds', () => {
  it('a hold makes the attempt authorized and leaves the payment unpaid, awaiting', () => {
    const a = attempt('a1', 1);
    const d = decideProviderFact(payment(), [a], 'a1', held(a), NOW);
    expect(d.payment.status).to.equal('awaiting');
    expect(d.payment.paidAt).to.equal(null);
    expect(d.attempt).to.include({ status: 'authorized', heldAt: NOW, captureMode: 'manual' });
    expect(d.events).to.deep.equal([{ type: 'authorized', attemptId: 'a1', amountMinor: 100000, currency: 'AMD', captureMode: 'manual' }]);
  });

  it('a hold for the wrong amount is a review, never a hold the server would capture', () => {
    const a = attempt('a1', 1);
    const d = decideProviderFact(payment(), [a], 'a1', held(a, { amountMinor: 1 }), NOW);
    expect(d.payment.reviewReason).to.equal('amount_mismatch');
    expect(d.attempt?.status).to.equal('pending');
  });

  it('the same hold again, or a pending answer after it, changes nothing; the capture reported (paid) pays', () => {
    const a = attempt('a1', 1, { status: 'authorized', heldAt: NOW, captureMode: 'auto' });
    expect(decideProviderFact(payment(), [a], 'a1', held(a), NOW).events).to.deep.equal([]);
    expect(decideProviderFact(payment(), [a], 'a1', { status: 'pending', rawStatus: 'p' }, NOW).events).to.deep.equal([]);
    const paid = decideProviderFact(payment(), [a], 'a1', paidFact(a), NOW);
    expect(paid.payment.status).to.equal('paid');
    expect(paid.attempt?.status).to.equal('paid');
  });

  it('a released hold (void) closes the attempt without touching the payment; a hold reported after that is stale', () => {
    const a = attempt('a1', 1, { status: 'authorized' });
    const voided = decideProviderFact(
      payment(),
      [a],
      'a1',
      { status: 'cancelled', providerOrderNo: a.providerOrderNo, rawStatus: '3' },
      NOW,
    );
    expect(voided.attempt?.status).to.equal('cancelled');
    expect(voided.payment.status).to.equal('awaiting');
    const closed = attempt('a1', 1, { status: 'cancelled' });
    expect(decideProviderFact(payment(), [closed], 'a1', held(closed), NOW).outcome).to.equal('stale_after_closed');
  });

  it('follows a hold up: capture in auto mode, wait for an admin in manual, release when cancelled or paid by another attempt', () => {
    const auto = attempt('a2', 2, { status: 'authorized', captureMode: 'auto' });
    const manual = attempt('a2', 2, { status: 'authorized', captureMode: 'manual' });
    expect(holdFollowUp(payment(), auto)).to.equal('capture');
    expect(holdFollowUp(payment({ status: 'expired' }), auto)).to.equal('capture');
    expect(holdFollowUp(payment(), manual)).to.equal('wait');
    expect(holdFollowUp(payment({ status: 'cancelled' }), manual)).to.equal('void');
    expect(holdFollowUp(payment({ status: 'paid' }), auto)).to.equal('void');
    expect(holdFollowUp(payment(), attempt('a2', 2))).to.equal('wait');
  });

  it('refuses a capture or void of nothing held, a second one while one is out, and a capture of a paid payment', () => {
    const a = attempt('a1', 1, { status: 'authorized' });
    const input = { kind: 'capture' as const, actionId: 'h1', inFlight: false };
    expect(decideHoldAction(payment(), attempt('a1', 1), input)).to.deep.equal({ refused: 'not_held' });
    expect(decideHoldAction(payment(), a, { ...input, inFlight: true })).to.deep.equal({ refused: 'in_progress' });
    expect(decideHoldAction(payment({ status: 'paid' }), a, input)).to.deep.equal({ refused: 'already_paid' });
    expect(decideHoldAction(payment({ status: 'paid' }), a, { ...input, kind: 'void' })).to.not.have.property('refused');
    expect(decideHoldAction(payment(), a, input)).to.deep.include({
      events: [{ type: 'capture_requested', attemptId: 'a1', actionId: 'h1' }],
    });
  });

  it('a refused capture asks a person (review capture_failed); the hold stays', () => {
    const d = decideHoldActionFailed(payment(), attempt('a1', 1, { status: 'authorized' }), {
      kind: 'capture',
      actionId: 'h1',
      message: 'no',
      now: NOW,
    });
    expect(d.payment).to.include({ reviewReason: 'capture_failed', status: 'awaiting' });
    expect(d.attempt).to.equal(undefined);
    expect(d.events.map((e) => e.type)).to.deep.equal(['capture_failed', 'review_needed']);
  });

  it('settles an unknown capture or void by the status the query reported', () => {
    expect(settledByStatus('capture', 'paid')).to.equal('succeeded');
    expect(settledByStatus('capture', 'authorized')).to.equal('failed');
    expect(settledByStatus('capture', 'pending')).to.equal(undefined);
    expect(settledByStatus('void', 'cancelled')).to.equal('succeeded');
    expect(settledByStatus('void', 'authorized')).to.equal('failed');
    expect(settledByStatus('void', 'paid')).to.equal('failed');
  });
});
