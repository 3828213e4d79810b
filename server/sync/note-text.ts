import { formatMoney, isCurrency } from '../../shared/money.ts';

/**
 * The text of the note a manager reads on the lead for one ledger event. Short, factual, with the
 * amount and who did it; the `[dramlink:<key>]` marker lets the sync worker find a note it already wrote.
 */
export interface NoteContext {
  amountMinor: number;
  currency: string;
  actor: string;
  provider?: string;
  link?: string;
}

const REVIEW_TEXT: Record<string, string> = {
  amount_mismatch: 'the provider reported a different amount than requested',
  currency_mismatch: 'the provider reported a different currency than requested',
  paid_after_expiry: 'the customer paid after the link had expired',
  paid_after_cancel: 'the customer paid after the link had been cancelled',
  double_payment: 'the customer paid twice for this payment',
  refund_exceeds_paid: 'the provider reports more refunded than was paid',
  provider_unclear:
    'the provider reports a state dramlink cannot settle by itself (for example funds only held); check it in the provider cabinet',
};

function money(minor: unknown, currency: string): string {
  return typeof minor === 'number' && isCurrency(currency) ? formatMoney(minor, currency) : `${String(minor)} ${currency}`;
}

export function noteText(action: string, details: Record<string, unknown>, ctx: NoteContext): string {
  const amount = money(ctx.amountMinor, ctx.currency);
  const via = ctx.provider ? ` via ${ctx.provider}` : '';
  switch (action) {
    case 'created':
      return `Payment link for ${amount} created by ${ctx.actor}${ctx.link ? `: ${ctx.link}` : ''}`;
    case 'resent':
      return `Payment link for ${amount} sent again by ${ctx.actor}${details.channel ? ` (${String(details.channel)})` : ''}`;
    case 'paid':
      return `Paid ${money(details.amountMinor, ctx.currency)}${via}, verified by dramlink (reference ${String(details.providerRef ?? '-')})`;
    case 'attempt_failed':
      return `Payment attempt${via} failed (${String(details.rawStatus ?? 'declined')}); the customer can try again with the same link`;
    case 'expired':
      return `Payment link for ${amount} expired unpaid`;
    case 'cancelled':
      return `Payment link for ${amount} cancelled by ${ctx.actor}`;
    case 'partially_refunded':
    case 'refunded':
      return `Refunded ${money(details.amountMinor, ctx.currency)}${via}; total refunded ${money(details.refundedTotalMinor, ctx.currency)}${
        action === 'refunded' ? ' (full refund)' : ''
      }`;
    case 'refund_failed':
      return `Refund of ${money(details.amountMinor, ctx.currency)}${via} failed: ${String(details.message ?? 'rejected by the provider')}`;
    default:
      if (REVIEW_TEXT[action]) return `Manual review needed: ${REVIEW_TEXT[action]} (${amount})`;
      return `${action.replace(/_/g, ' ')} (${amount})`;
  }
}

export function reviewTaskText(reason: string, amountMinor: number, currency: string): string {
  return `dramlink: check the payment of ${money(amountMinor, currency)}: ${REVIEW_TEXT[reason] ?? reason.replace(/_/g, ' ')}`;
}

export function noteMarker(eventKey: string): string {
  return `[dramlink:${eventKey}]`;
}
