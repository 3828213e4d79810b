import { expect } from 'chai';
import type { NotedEvent } from '../../../../server/payments/ledger-events.ts';
import type { EventContext } from '../../../../server/sync/outbox.ts';
import { noteMarker, renderNoteText } from '../../../../server/sync/render/note-text.ts';
import { ENGLISH } from '../../../../server/sync/render/strings-en.ts';
import type { LedgerStrings } from '../../../../server/sync/render/strings.ts';

const ctx: EventContext = { amountMinor: 4500000, currency: 'AMD', actor: 'user:12', actorName: 'Anna', provider: 'idram' };
const note = (event: NotedEvent, context: EventContext = ctx) => renderNoteText({ eventKey: 'pay_1:9', event, context });

describe('server/sync/render renderNoteText: note text from the typed event, at send time', () => {
  it('names the amount, the actor by name and the link of a created payment', () => {
    const created = note(
      { type: 'created', amountMinor: 4500000, currency: 'AMD', expiresAt: 1, providers: ['idram'] },
      { ...ctx, link: 'https://pay.example/pay/tok' },
    );
    expect(created).to.equal('Payment link for 45\u00a0000\u00a0AMD created by Anna: https://pay.example/pay/tok');
  });

  it('falls back to the actor id when no display name was known', () => {
    expect(note({ type: 'cancelled' }, { amountMinor: 100, currency: 'USD', actor: 'user:12' })).to.equal(
      'Payment link for 1\u00a0USD cancelled by user:12',
    );
  });

  it('writes the verified amount, the provider and the reference of a payment', () => {
    expect(note({ type: 'paid', attemptId: 'att_1', amountMinor: 4500000, currency: 'AMD', providerRef: 'IDR-77' })).to.equal(
      'Paid 45\u00a0000\u00a0AMD via idram, verified by dramlink (reference IDR-77)',
    );
  });

  it('says a full refund is full and a partial one is not', () => {
    const base = { amountMinor: 500000, refundedTotalMinor: 4500000, source: 'manager', refundId: 'ref_1' } as const;
    expect(note({ type: 'refunded', ...base })).to.match(
      /Refunded 5\u00a0000\u00a0AMD via idram; total refunded 45\u00a0000\u00a0AMD \(full refund\)$/,
    );
    expect(note({ type: 'partially_refunded', ...base, refundedTotalMinor: 500000 })).to.not.match(/full refund/);
  });

  it('explains each review reason instead of printing its code', () => {
    const text = note({ type: 'review_needed', reason: 'paid_after_cancel', attemptId: 'att_1', previousStatus: 'cancelled' });
    expect(text).to.equal('Manual review needed: the customer paid after the link had been cancelled (45\u00a0000\u00a0AMD)');
  });

  it('says why a refund failed, or that the provider rejected it when it gave no reason', () => {
    expect(note({ type: 'refund_failed', refundId: 'ref_1', amountMinor: 1000, message: 'card closed' })).to.equal(
      'Refund of 10\u00a0AMD via idram failed: card closed',
    );
    expect(note({ type: 'refund_failed', refundId: 'ref_1', amountMinor: 1000, message: null })).to.match(/rejected by the provider$/);
  });

  it('renders with the string table it is given (the seam for the account language)', () => {
    const upper: LedgerStrings = {
      ...ENGLISH,
      notes: { ...ENGLISH.notes, expired: (_e, c, s) => `EXPIRED ${s.money(c.amountMinor, c.currency)}` },
    };
    expect(renderNoteText({ eventKey: 'k', event: { type: 'expired', expiresAt: 1 }, context: ctx }, upper)).to.equal(
      'EXPIRED 45\u00a0000\u00a0AMD',
    );
  });

  it('sends a note queued before events were typed with the text it was queued with', () => {
    expect(renderNoteText({ eventKey: 'pay_1:3', text: 'Payment link for 1 AMD expired unpaid' })).to.equal(
      'Payment link for 1 AMD expired unpaid',
    );
  });

  it('marks a note with its event key', () => {
    expect(noteMarker('pay_1:9')).to.equal('[dramlink:pay_1:9]');
  });
});
