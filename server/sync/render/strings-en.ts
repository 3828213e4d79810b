import { formatMoney } from '../../../shared/money.ts';
import { exceptionTextEn } from './exception-text-en.ts';
import type { LedgerStrings } from './strings.ts';

const actorOf = (ctx: { actor: string; actorName?: string }) => ctx.actorName ?? ctx.actor;

/** English: the only language so far. */
export const ENGLISH: LedgerStrings = {
  money: (minor, currency) => formatMoney(minor, currency),
  via: (provider) => (provider ? ` via ${provider}` : ''),
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
    created: (_e, c, s) => `Payment link for ${s.money(c.amountMinor, c.currency)} created by ${actorOf(c)}${c.link ? `: ${c.link}` : ''}`,
    resent: (e, c, s) =>
      `Payment link for ${s.money(c.amountMinor, c.currency)} sent again by ${actorOf(c)}${e.channel ? ` (${e.channel})` : ''}`,
    authorized: (e, c, s) =>
      `Funds of ${s.money(e.amountMinor, c.currency)} held${s.via(c.provider)} (not taken yet); ${e.captureMode === 'auto' ? 'dramlink captures them now' : 'an admin captures or voids them in the payment panel'}`,
    paid: (e, c, s) =>
      `Paid ${s.money(e.amountMinor, c.currency)}${s.via(c.provider)}, verified by dramlink (reference ${e.providerRef || '-'})`,
    attempt_failed: (e, c, s) =>
      `Payment attempt${s.via(c.provider)} failed (${e.rawStatus || 'declined'}); the customer can try again with the same link`,
    expired: (_e, c, s) => `Payment link for ${s.money(c.amountMinor, c.currency)} expired unpaid`,
    cancelled: (_e, c, s) => `Payment link for ${s.money(c.amountMinor, c.currency)} cancelled by ${actorOf(c)}`,
    partially_refunded: (e, c, s) =>
      `Refunded ${s.money(e.amountMinor, c.currency)}${s.via(c.provider)}; total refunded ${s.money(e.refundedTotalMinor, c.currency)}`,
    refunded: (e, c, s) =>
      `Refunded ${s.money(e.amountMinor, c.currency)}${s.via(c.provider)}; total refunded ${s.money(e.refundedTotalMinor, c.currency)} (full refund)`,
    refund_failed: (e, c, s) =>
      `Refund of ${s.money(e.amountMinor, c.currency)}${s.via(c.provider)} failed: ${e.message ?? 'rejected by the provider'}`,
    review_needed: (e, c, s) => `Manual review needed: ${s.review[e.reason]} (${s.money(c.amountMinor, c.currency)})`,
  },
  tasks: {
    review: (e, c, s) => `dramlink: check the payment of ${s.money(c.amountMinor, c.currency)}: ${s.review[e.reason]}`,
    refundFailed: (e, c, s) =>
      `dramlink: a refund of ${s.money(e.amountMinor, c.currency)}${s.via(c.provider)} failed (${e.message ?? 'rejected by the provider'}); refund again or in the provider cabinet`,
  },
  exception: exceptionTextEn,
};
