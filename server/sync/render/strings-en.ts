import { formatMoney } from '../../../shared/money.ts';
import { exceptionText } from './exception-text.ts';
import { REACH_WORDS_EN } from './reach-words-en.ts';
import { EXCEPTION_WORDS_EN } from './exception-words-en.ts';
import { actorIn, capitalize, type LedgerStrings } from './strings.ts';

const PROVIDERS: Record<string, string> = {
  ameriabank: 'Ameriabank',
  arca: 'ArCa',
  idram: 'Idram',
  telcell: 'Telcell',
  sandbox: 'the test sandbox',
};
const CHANNELS: Record<string, string> = { copy: ' (link copied)', email: ' by e-mail', sms: ' by SMS', chat: ' in a chat' };

/** English: notes written the way a colleague would write them. */
export const ENGLISH: LedgerStrings = {
  language: 'en',
  money: (minor, currency) => formatMoney(minor, currency),
  via: (provider) => (provider ? ` with ${PROVIDERS[provider] ?? provider}` : ''),
  actor: actorIn({ user: 'user', customer: 'the customer', provider: 'the provider', system: 'dramlink' }),
  channel: (channel) => CHANNELS[channel] ?? '',
  review: {
    amount_mismatch: 'the provider reported a different amount than requested',
    currency_mismatch: 'the provider reported a different currency than requested',
    paid_after_expiry: 'the customer paid after the link had expired',
    paid_after_cancel: 'the customer paid after the link had been cancelled',
    double_payment: 'the customer paid twice for this payment',
    refund_exceeds_paid: 'the provider reports more refunded than was paid',
    refund_failed: 'a refund failed at the provider',
    refund_unknown: 'the outcome of a refund is not known',
    provider_unclear:
      'the provider reports a state dramlink cannot settle by itself (for example funds only held); check it in the provider cabinet',
    capture_failed: 'the funds held by the bank could not be captured; capture or void them from the panel or the bank cabinet',
    void_failed: 'funds held on a cancelled or already paid payment could not be released; void them in the bank cabinet',
  },
  notes: {
    created: (e, c, s) =>
      e.origin
        ? s.reach.created(e.origin, s.money(c.amountMinor, c.currency), capitalize(s.actor(c)), c.link)
        : `${capitalize(s.actor(c))} created a payment link for ${s.money(c.amountMinor, c.currency)}${c.link ? `: ${c.link}` : '.'}`,
    resent: (e, c, s) =>
      `${capitalize(s.actor(c))} marked the payment link for ${s.money(c.amountMinor, c.currency)} as sent${s.channel(e.channel)}.`,
    sent: (e, c, s) => s.reach.sentBySalesbot(s.money(c.amountMinor, c.currency), capitalize(s.actor(c)), e.botId),
    authorized: (e, c, s) =>
      `The bank is holding ${s.money(e.amountMinor, c.currency)}${s.via(c.provider)} on the customer's account (not taken yet); ${e.captureMode === 'auto' ? 'dramlink captures it now' : 'an admin captures or releases it in the payment panel'}.`,
    paid: (e, c, s) =>
      `The customer paid ${s.money(e.amountMinor, c.currency)}${s.via(c.provider)}. Confirmed with the provider${e.providerRef ? `, reference ${e.providerRef}` : ''}.`,
    attempt_failed: (e, c, s) =>
      `A payment${s.via(c.provider)} did not go through${e.rawStatus ? ` (the provider said “${e.rawStatus}”)` : ''}. The customer can try again with the same link.`,
    expired: (_e, c, s) => `The payment link for ${s.money(c.amountMinor, c.currency)} expired without payment.`,
    cancelled: (_e, c, s) => `${capitalize(s.actor(c))} cancelled the payment link for ${s.money(c.amountMinor, c.currency)}.`,
    partially_refunded: (e, c, s) =>
      `${s.money(e.amountMinor, c.currency)} was refunded to the customer${s.via(c.provider)}; ${s.money(e.refundedTotalMinor, c.currency)} refunded so far.`,
    refunded: (e, c, s) =>
      `${s.money(e.amountMinor, c.currency)} was refunded to the customer${s.via(c.provider)}; the payment is now fully refunded (${s.money(e.refundedTotalMinor, c.currency)}).`,
    refund_failed: (e, c, s) =>
      `The refund of ${s.money(e.amountMinor, c.currency)}${s.via(c.provider)} failed: ${e.message ?? 'the provider refused it'}.`,
    review_needed: (e, c, s) => `This payment needs a manual check: ${s.review[e.reason]} (${s.money(c.amountMinor, c.currency)}).`,
  },
  tasks: {
    review: (e, c, s) => `Check the dramlink payment of ${s.money(c.amountMinor, c.currency)}: ${s.review[e.reason]}.`,
    refundFailed: (e, c, s) =>
      `The refund of ${s.money(e.amountMinor, c.currency)}${s.via(c.provider)} failed (${e.message ?? 'the provider refused it'}). Refund again from the lead card or in the provider cabinet.`,
  },
  reach: REACH_WORDS_EN,
  exception: exceptionText(EXCEPTION_WORDS_EN),
};
