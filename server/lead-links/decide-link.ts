import { isMoneyTaken, isPayable, type PaymentStatus } from '../../shared/status.ts';
import type { LinkSource } from './link-request-store.ts';

/**
 * Whether automation makes a link for a lead, reuses one, or makes none, and why (docs/architecture.md,
 * Links made by automation). Pure: the caller reads the lead and its payments and writes the outcome.
 * - A link that can still be paid is never doubled: a Salesbot gets the lead's live link, a pipeline
 *   trigger reuses one of the same amount and currency, a bulk run skips the lead.
 * - A Salesbot asking for a lead that already paid gets that payment (its page says "already paid"),
 *   never a second link to pay.
 * - The amount is the lead's price or the trigger's fixed amount; no chargeable amount, no provider
 *   for the currency, or a lead amoCRM does not have: no link, with the reason.
 */
export type LeadFacts = { kind: 'found'; priceMinor: number | 'invalid' } | { kind: 'missing' };

export type Offer = { ok: true } | { ok: false; reason: 'no_provider_enabled' | 'no_provider_for_currency' };

export interface LinkCandidate {
  id: string;
  status: PaymentStatus;
  amountMinor: number;
  currency: string;
  expiresAt: number;
}

export interface DecideLinkInput {
  source: LinkSource;
  lead: LeadFacts;
  /** The lead's payments, newest first. */
  payments: readonly LinkCandidate[];
  amount: { mode: 'lead_price' } | { mode: 'fixed'; amountMinor: number };
  currency: string;
  offer: Offer;
  now: number;
}

export type FailReason = 'lead_not_found' | 'no_price' | 'invalid_price' | 'no_provider_enabled' | 'no_provider_for_currency';

export type LinkDecision =
  | { kind: 'reuse'; paymentId: string }
  | { kind: 'create'; amountMinor: number }
  | { kind: 'skip'; reason: 'live_link'; paymentId: string }
  | { kind: 'fail'; reason: FailReason };

export function decideLink(input: DecideLinkInput): LinkDecision {
  if (input.lead.kind === 'missing') return { kind: 'fail', reason: 'lead_not_found' };
  const live = input.payments.filter((p) => isPayable(p.status) && p.expiresAt > input.now);
  if (input.source === 'salesbot') {
    if (live[0]) return { kind: 'reuse', paymentId: live[0].id };
    const newest = input.payments[0];
    if (newest && isMoneyTaken(newest.status) && newest.status !== 'refunded') return { kind: 'reuse', paymentId: newest.id };
  }
  if (input.source === 'bulk' && live[0]) return { kind: 'skip', reason: 'live_link', paymentId: live[0].id };
  const amount = amountOf(input);
  if (typeof amount === 'string') return { kind: 'fail', reason: amount };
  if (input.source === 'pipeline') {
    const same = live.find((p) => p.amountMinor === amount && p.currency === input.currency);
    if (same) return { kind: 'reuse', paymentId: same.id };
  }
  if (!input.offer.ok) return { kind: 'fail', reason: input.offer.reason };
  return { kind: 'create', amountMinor: amount };
}

function amountOf(input: DecideLinkInput): number | 'no_price' | 'invalid_price' {
  if (input.amount.mode === 'fixed') return input.amount.amountMinor;
  if (input.lead.kind !== 'found') return 'no_price';
  const price = input.lead.priceMinor;
  if (price === 'invalid') return 'invalid_price';
  return price > 0 ? price : 'no_price';
}
