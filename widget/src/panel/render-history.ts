import type { PaymentView } from '../../../shared/api.ts';
import { dateTime, money } from '../format.ts';
import { esc, h } from '../html.ts';
import { labelOr, type T } from '../i18n.ts';

type Details = Record<string, unknown>;
const num = (x: unknown) => (typeof x === 'number' ? x : undefined);

/**
 * What a history entry adds, in words: amounts with what they are ("refunded 5 000 AMD, 10 000 AMD
 * in total"), how a link was sent (the channel, or the Salesbot dramlink started), the reference of a payment. Raw codes (a provider's status, an
 * internal id) never show. Returns HTML (escaped here).
 */
function detailsHtml(action: string, d: Details, currency: string, t: T): string {
  const text = detailsText(action, d, currency, t);
  if (!(action === 'paid' && d.providerRef)) return esc(text);
  // A provider's reference is one token to copy: it may not wrap at its hyphens.
  const ref = String(d.providerRef);
  return esc(text).replace(esc(ref), h('span', 'nw', esc(ref)));
}

function detailsText(action: string, d: Details, currency: string, t: T): string {
  const amount = num(d.amountMinor);
  const total = num(d.refundedTotalMinor);
  if (action === 'resent' && typeof d.channel === 'string' && d.channel !== 'other')
    return t('history_detail.via', { channel: t(`channels.${d.channel}`) });
  if (action === 'sent' && num(d.botId) !== undefined) return t('history_detail.bot', { bot: num(d.botId)! });
  if (action === 'attempt_opened' && typeof d.provider === 'string')
    return t('history_detail.provider', { provider: labelOr(t, `providers.${d.provider}`, d.provider) });
  if (action === 'paid' && amount !== undefined)
    return (
      t('history_detail.paid', { amount: money(amount, currency) }) +
      (d.providerRef ? ` · ${t('history_detail.ref', { ref: String(d.providerRef) })}` : '')
    );
  if ((action === 'refunded' || action === 'partially_refunded') && amount !== undefined && total !== undefined)
    return t('history_detail.refund_total', { amount: money(amount, currency), total: money(total, currency) });
  if (/^refund_/.test(action) && amount !== undefined) return t('history_detail.refund', { amount: money(amount, currency) });
  return '';
}

export function renderHistory(p: PaymentView, s: { locale: string }, t: T, actorText: (actor: string, t: T) => string): string {
  if (p.history.length === 0) return '';
  const items = p.history
    .map((e) => {
      const details = e.details && typeof e.details === 'object' ? detailsHtml(e.action, e.details as Details, p.currency, t) : '';
      return h(
        'li',
        '',
        `${h('span', 'muted nw', esc(dateTime(e.at, s.locale)))} ${esc(labelOr(t, `history.${e.action}`, t('history.other')))} · ${h('span', 'nw', esc(actorText(e.actor, t)))}` +
          (details ? ' ' + h('span', 'muted', `(${details})`) : ''),
      );
    })
    .join('');
  return `<h5>${esc(t('panel.history'))}</h5>` + h('ul', 'history', items);
}
