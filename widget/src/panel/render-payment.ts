import type { PaymentView } from '../../../shared/api.ts';
import { isCurrency, minorToMajorString } from '../../../shared/money.ts';
import { dateTime, money } from '../format.ts';
import { field, textInput } from '../form-markup.ts';
import { button, esc, escT, h } from '../html.ts';
import { userName } from '../amo-host.ts';
import { labelOr, type T } from '../i18n.ts';
import { renderBadge } from './badge.ts';
import { isPayable, refundableMinor, type PanelState } from './panel-state.ts';

const CHANNELS = ['copy', 'email', 'sms', 'chat', 'other'];

/** One payment: the summary, its actions (by status and role), attempts and history. */
export function renderPayment(p: PaymentView, s: PanelState, t: T): string {
  const te = escT(t);
  const when = (iso: string | null) => esc(dateTime(iso, s.locale));
  const row = (key: string, value: string) => (value ? `<dt>${te(key)}</dt><dd>${value}</dd>` : '');
  const amount = (minor: number) => esc(money(minor, p.currency));
  const review = p.needsReview;
  const pending = p.status === 'awaiting' && p.attempts.some((a) => a.status === 'pending' || a.status === 'created');
  return h(
    'div',
    'payment',
    h('div', 'head', `${renderBadge(p.crmStatus, t)} ${h('strong', 'amount', amount(p.amountMinor))}`) +
      (p.description ? h('div', 'desc', esc(p.description)) : '') +
      (review ? h('div', 'alert bad', te('panel.needs_review', { reason: labelOr(t, `review.${review.reason}`, review.reason) })) : '') +
      (pending ? h('div', 'alert warn', te('panel.pending_hint')) : '') +
      // A closed link (paid, expired, cancelled) is not worth copying or sending again.
      (isPayable(p)
        ? h(
            'div',
            'linkrow',
            `<input type="text" readonly class="drl-linkinput" aria-label="${te('panel.link')}" value="${esc(p.link)}">` +
              button('copy', te('panel.copy'), false, '', p.id),
          )
        : '') +
      h(
        'dl',
        'dl',
        row('panel.expires', when(p.expiresAt)) +
          row('panel.created', `${when(p.createdAt)} · ${esc(actorText(p.createdBy, t))}`) +
          row('panel.paid_at', when(p.paidAt)) +
          row('panel.paid_amount', p.paidAmountMinor !== null && p.paidAmountMinor !== p.amountMinor ? amount(p.paidAmountMinor) : '') +
          row('panel.refunded_amount', p.refundedAmountMinor > 0 ? amount(p.refundedAmountMinor) : '') +
          row('panel.provider_ref', esc(p.providerRef)),
      ) +
      (p.sync.state === 'failing' ? h('div', 'muted small', te('panel.sync_failing', { error: p.sync.lastError || '' })) : '') +
      renderActions(p, s, t) +
      renderAttempts(p, s, t) +
      renderHistory(p, s, t),
    ` data-payment="${esc(p.id)}"`,
  );
}

function renderActions(p: PaymentView, s: PanelState, t: T): string {
  const te = escT(t);
  const c = s.confirm && s.confirm.paymentId === p.id ? s.confirm : undefined;
  const act = (action: string, key: string, cls = '', attrs = '') => button(action, te(key), s.busy, cls, p.id, attrs);
  const back = act('back', 'panel.back');
  if (c && c.kind === 'cancel') {
    return h(
      'div',
      'confirm',
      `<p>${te('panel.cancel_confirm')}</p>` + h('div', 'actions', act('cancel-yes', 'panel.cancel_yes', ' button-input_red') + back),
    );
  }
  if (c && c.kind === 'refund-amount') {
    return h(
      'div',
      'confirm',
      field(
        te('panel.refund_amount', { currency: p.currency }),
        textInput('refund_amount', c.value, 'decimal'),
        c.error ? te(c.error.key, c.error.vars) : '',
      ) + h('div', 'actions', act('refund-next', 'panel.refund_next', ' button-input_blue', ' data-submit') + back),
      ' data-form="refund"',
    );
  }
  if (c && c.kind === 'refund-confirm') {
    return h(
      'div',
      'confirm',
      `<p>${te('panel.refund_confirm', { amount: money(c.amountMinor, p.currency) })}</p>` +
        h('div', 'actions', act('refund-yes', 'panel.refund_yes', ' button-input_red') + back),
    );
  }
  let out = '';
  if (isPayable(p)) {
    const options = CHANNELS.map((ch) => `<option value="${ch}">${te(`channels.${ch}`)}</option>`).join('');
    out += h(
      'span',
      'resend',
      `<select data-name="channel" aria-label="${te('panel.resend_via')}">${options}</select>` + act('resend', 'panel.resend'),
    );
  }
  out += act('refresh', 'panel.refresh');
  if (isPayable(p)) out += act('cancel', 'panel.cancel');
  // Refunds move money back: only admins see the button (the server enforces it too).
  if (s.data && s.data.context && s.data.context.isAdmin && refundableMinor(p) > 0) out += act('refund', 'panel.refund');
  return h('div', 'actions', out);
}

function renderAttempts(p: PaymentView, s: PanelState, t: T): string {
  const te = escT(t);
  if (p.attempts.length === 0) return h('div', 'muted small', te('panel.no_attempts'));
  const head = ['provider', 'ref', 'status', 'time'].map((c) => `<th>${te(`panel.col_${c}`)}</th>`).join('');
  const rows = p.attempts
    .map(
      (a) =>
        `<tr><td>${esc(labelOr(t, `providers.${a.provider}`, a.provider))}</td><td class="drl-ref">${esc(a.providerPaymentId || a.providerOrderNo)}</td><td>${esc(
          labelOr(t, `attempt_status.${a.status}`, a.status),
        )}</td><td>${esc(dateTime(a.updatedAt, s.locale))}</td></tr>`,
    )
    .join('');
  return `<h5>${te('panel.attempts')}</h5>` + h('table', 'table', `<thead><tr>${head}</tr></thead><tbody>${rows}</tbody>`);
}

function renderHistory(p: PaymentView, s: PanelState, t: T): string {
  if (p.history.length === 0) return '';
  const items = p.history
    .map((e) => {
      const details = detailsText(e.details, p.currency);
      return h(
        'li',
        '',
        `${h('span', 'muted', esc(dateTime(e.at, s.locale)))} ${esc(labelOr(t, `history.${e.action}`, e.action))} · ${esc(actorText(e.actor, t))}` +
          (details ? ' ' + h('span', 'muted', `(${esc(details)})`) : ''),
      );
    })
    .join('');
  return `<h5>${esc(t('panel.history'))}</h5>` + h('ul', 'history', items);
}

/** Who did it, in words: a manager's name, "customer", a provider's name, or the raw actor. */
function actorText(actor: string, t: T): string {
  const [kind, who] = actor.split(':');
  if (kind === 'provider' && who) return labelOr(t, `providers.${who}`, who);
  return userName(actor) ?? labelOr(t, `actor.${kind}`, actor);
}

/** The history details a manager can use: amounts as money, the provider's words; ids and internals stay out. */
const SHOWN_DETAILS = ['amountMinor', 'refundedTotalMinor', 'providerRef', 'channel', 'rawStatus', 'message'];

function detailsText(d: unknown, currency: string): string {
  if (d == null || typeof d !== 'object') return '';
  const o = d as Record<string, unknown>;
  return SHOWN_DETAILS.filter((k) => o[k] != null && typeof o[k] !== 'object')
    .map((k) => (/Minor$/.test(k) && typeof o[k] === 'number' ? money(o[k] as number, currency) : String(o[k])))
    .join(', ');
}

/** The refund input starts at what is left, in major units. */
export function refundDefault(p: PaymentView): string {
  return isCurrency(p.currency) ? minorToMajorString(refundableMinor(p), p.currency, { trim: true }) : '';
}
