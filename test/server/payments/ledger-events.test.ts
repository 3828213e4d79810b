import { expect } from 'chai';
import { auditEntryOf, isExceptionEvent, isNoted, type LedgerEvent } from '../../../server/payments/ledger-events.ts';

describe('server/payments ledger events', () => {
  it('audits a review under its reason, with the evidence as details (the vocabulary of the panel history and metrics)', () => {
    const event: LedgerEvent = {
      type: 'review_needed',
      reason: 'amount_mismatch',
      attemptId: 'a1',
      expected: { amountMinor: 100, currency: 'AMD' },
      reported: { amountMinor: 99, currency: 'AMD' },
    };
    expect(auditEntryOf(event)).to.deep.equal({
      action: 'amount_mismatch',
      details: { attemptId: 'a1', expected: { amountMinor: 100, currency: 'AMD' }, reported: { amountMinor: 99, currency: 'AMD' } },
    });
    expect(auditEntryOf({ type: 'cancelled' })).to.deep.equal({ action: 'cancelled', details: {} });
  });

  it('notes what a manager must hear and keeps the rest in the audit trail only', () => {
    const noted: LedgerEvent[] = [
      { type: 'attempt_failed', attemptId: 'a', rawStatus: 'declined' },
      { type: 'refund_failed', refundId: 'r', amountMinor: 1, message: null },
    ];
    const silent: LedgerEvent[] = [
      { type: 'attempt_pending', attemptId: 'a', rawStatus: 'p' },
      { type: 'attempt_expired', attemptId: 'a', rawStatus: 't' },
      { type: 'attempt_opened', attemptId: 'a', provider: 'idram', providerOrderNo: '1' },
      { type: 'refund_requested', refundId: 'r', amountMinor: 1 },
      { type: 'refund_unknown', refundId: 'r', amountMinor: 1 },
    ];
    expect(noted.map(isNoted)).to.deep.equal([true, true]);
    expect(silent.map(isNoted)).to.deep.equal([false, false, false, false, false]);
    expect([...noted, ...silent].filter(isExceptionEvent).map((e) => e.type)).to.deep.equal(['refund_failed']);
  });
});
