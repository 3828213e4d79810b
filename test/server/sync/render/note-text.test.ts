import { expect } from 'chai';
import type { NotedEvent } from '../../../../server/payments/ledger-events.ts';
import type { EventContext } from '../../../../server/sync/outbox.ts';
import { ledgerStrings } from '../../../../server/sync/render/ledger-strings.ts';
import { legacyNoteMarker, markersOf, noteMarker, renderNoteText } from '../../../../server/sync/render/note-text.ts';
import { ENGLISH } from '../../../../server/sync/render/strings-en.ts';
import type { LedgerStrings } from '../../../../server/sync/render/strings.ts';

const ctx: EventContext = { amountMinor: 4500000, currency: 'AMD', actor: 'user:12', actorName: 'Anna', provider: 'idram' };
const note = (event: NotedEvent, context: EventContext = ctx, strings?: LedgerStrings) =>
  renderNoteText({ eventKey: 'pay_1:9', event, context }, strings);

/** One event of every noted type, for the checks that run over all of them. */
const EVERY_EVENT: NotedEvent[] = [
  { type: 'created', amountMinor: 4500000, currency: 'AMD', expiresAt: 1, providers: ['idram'] },
  { type: 'resent', channel: 'sms' },
  { type: 'paid', attemptId: 'a', amountMinor: 4500000, currency: 'AMD', providerRef: 'IDR-77' },
  { type: 'attempt_failed', attemptId: 'a', rawStatus: 'declined' },
  { type: 'expired', expiresAt: 1 },
  { type: 'cancelled' },
  { type: 'partially_refunded', amountMinor: 500000, refundedTotalMinor: 500000, source: 'manager', refundId: 'r' },
  { type: 'refunded', amountMinor: 500000, refundedTotalMinor: 4500000, source: 'manager', refundId: 'r' },
  { type: 'refund_failed', refundId: 'r', amountMinor: 1000, message: null },
  { type: 'review_needed', reason: 'double_payment', attemptId: 'a', firstAttemptId: 'b', amountMinor: 1, providerRef: 'x' },
];

describe('server/sync/render renderNoteText: note text from the typed event, at send time', () => {
  it('says who created the link, for how much, and the link, as a colleague would write it', () => {
    const created = note(
      { type: 'created', amountMinor: 4500000, currency: 'AMD', expiresAt: 1, providers: ['idram'] },
      { ...ctx, link: 'https://pay.example/pay/tok' },
    );
    expect(created).to.equal('Anna created a payment link for 45\u00a0000\u00a0AMD: https://pay.example/pay/tok');
  });

  it('names a manager without a known display name by user id, never as a raw actor id', () => {
    const text = note({ type: 'cancelled' }, { amountMinor: 100, currency: 'USD', actor: 'user:12' });
    expect(text).to.equal('User 12 cancelled the payment link for 1\u00a0USD.');
    expect(text).to.not.contain('user:12');
  });

  it('writes the verified amount, the provider by its name and the reference of a payment', () => {
    expect(note({ type: 'paid', attemptId: 'att_1', amountMinor: 4500000, currency: 'AMD', providerRef: 'IDR-77' })).to.equal(
      'The customer paid 45\u00a0000\u00a0AMD with Idram. Confirmed with the provider, reference IDR-77.',
    );
  });

  it('calls the sandbox a test sandbox, not "via sandbox"', () => {
    const text = note(
      { type: 'paid', attemptId: 'a', amountMinor: 100, currency: 'AMD', providerRef: 'sbx-1' },
      { ...ctx, provider: 'sandbox' },
    );
    expect(text).to.contain('with the test sandbox').and.not.contain('via sandbox');
  });

  it('says a full refund is full and a partial one is not', () => {
    const base = { amountMinor: 500000, refundedTotalMinor: 4500000, source: 'manager', refundId: 'ref_1' } as const;
    expect(note({ type: 'refunded', ...base })).to.equal(
      '5\u00a0000\u00a0AMD was refunded to the customer with Idram; the payment is now fully refunded (45\u00a0000\u00a0AMD).',
    );
    expect(note({ type: 'partially_refunded', ...base, refundedTotalMinor: 500000 })).to.not.match(/fully/);
  });

  it('explains each review reason instead of printing its code', () => {
    const text = note({ type: 'review_needed', reason: 'paid_after_cancel', attemptId: 'att_1', previousStatus: 'cancelled' });
    expect(text).to.equal('This payment needs a manual check: the customer paid after the link had been cancelled (45\u00a0000\u00a0AMD).');
  });

  it('says why a refund failed, or that the provider refused it when it gave no reason', () => {
    expect(note({ type: 'refund_failed', refundId: 'ref_1', amountMinor: 1000, message: 'card closed' })).to.equal(
      'The refund of 10\u00a0AMD with Idram failed: card closed.',
    );
    expect(note({ type: 'refund_failed', refundId: 'ref_1', amountMinor: 1000, message: null })).to.match(/the provider refused it\.$/);
  });

  it('says how a link was marked as sent in words, not as the channel code', () => {
    expect(note({ type: 'resent', channel: 'sms' })).to.equal('Anna marked the payment link for 45\u00a0000\u00a0AMD as sent by SMS.');
    expect(note({ type: 'resent', channel: 'other' })).to.equal('Anna marked the payment link for 45\u00a0000\u00a0AMD as sent.');
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
});

describe('server/sync/render notes in the account language', () => {
  it('writes Russian notes without English words (only names, amounts, references and links)', () => {
    const ru = ledgerStrings('ru');
    for (const event of EVERY_EVENT) {
      const text = note(event, ctx, ru);
      const english = text.replace(/Idram|AMD|IDR-77|dramlink|SMS|declined|Anna/g, '').match(/[A-Za-z]{3,}/g);
      expect(english, `${event.type}: ${text}`).to.equal(null);
      expect(text, event.type).to.match(/[а-яё]{3,}/i);
    }
    expect(note({ type: 'paid', attemptId: 'a', amountMinor: 4500000, currency: 'AMD', providerRef: 'IDR-77' }, ctx, ru)).to.equal(
      'Клиент оплатил 45\u00a0000\u00a0AMD через Idram. Оплата подтверждена провайдером, номер операции IDR-77.',
    );
  });

  it('has every note in every language, and none repeats the English text', () => {
    for (const lang of ['ru', 'es', 'pt'] as const) {
      for (const event of EVERY_EVENT) {
        const text = note(event, ctx, ledgerStrings(lang));
        expect(text, `${lang} ${event.type}`).to.be.a('string').and.not.equal(note(event));
        expect(text, `${lang} ${event.type}`).to.not.match(/undefined|\[object/);
      }
    }
  });

  it('falls back to English for a language it does not know', () => {
    expect(ledgerStrings('de')).to.equal(ENGLISH);
    expect(ledgerStrings(undefined)).to.equal(ENGLISH);
  });
});

describe('server/sync/render noteMarker: the exactly-once marker', () => {
  it('is short and looks like a reference, not an internal key', () => {
    const marker = noteMarker('pay_0mg2x1k0a1b2c3d4e5f6a7b8:42');
    expect(marker).to.match(/^#dl[0-9a-z]{10}$/);
    expect(marker).to.not.contain('pay_');
  });

  it('is stable for a key and differs between keys, so a retry finds the note it may have written', () => {
    expect(noteMarker('pay_1:9')).to.equal(noteMarker('pay_1:9'));
    const markers = new Set(Array.from({ length: 5000 }, (_, i) => noteMarker(`pay_abc:${i}`)));
    expect(markers.size).to.equal(5000);
  });

  it('still recognizes what older versions wrote, so an upgrade never writes a note twice', () => {
    expect(legacyNoteMarker('pay_1:9')).to.equal('[dramlink:pay_1:9]');
    expect(markersOf('pay_1:9')).to.deep.equal([noteMarker('pay_1:9'), '[dramlink:pay_1:9]']);
  });
});
