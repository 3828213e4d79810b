import type { PaymentView } from '../../../shared/api.ts';
import { isCurrency, minorToMajorString } from '../../../shared/money.ts';
import { userName } from '../amo-host.ts';
import { dateTime, money } from '../format.ts';
import { field, textInput } from '../form-markup.ts';
import { button, esc, escT, h } from '../html.ts';
import { labelOr, type T } from '../i18n.ts';
import { displayStatus, renderBadge } from './badge.ts';
import { canCheck, holdOf, isPayable, refundableMinor, type PanelState } from './panel-state.ts';
import { renderHistory } from './render-history.ts';

const CHANNELS = ['copy', 'email', 'sms', 'chat', 'other'];

/** A value that must not break inside (a date, an amount, a name): the line may break only around it. */
export const nw = (text: string) => `<span class="drl-nw">${esc(text)}</span>`;

/** One payment: the summary, its actions (by status and role), attempts and history. */
export function renderPayment(p: PaymentView, s: PanelState, t: T): string {
  const te = escT(t);
  const when = (iso: string | null) => (iso ? nw(dateTime(iso, s.locale)) : '');
  const row = (key: string, value: string, cls = '') => (value ? `<dt>${te(key)}</dt><dd${cls}>${value}</dd>` : '');
  const amount = (minor: number) => nw(money(minor, p.currency));
  const review = p.needsReview;
  const hold = holdOf(p);
  const pending = p.status === 'awaiting' && !hold && p.attempts.some((a) => a.status === 'pending' || a.status === 'created');
  return h(
    'div',
    'payment',
    h('div', 'head', `${renderBadge(displayStatus(p), t)} ${h('strong', 'amount', esc(money(p.amountMinor, p.currency)))}`) +
      (p.description ? h('div', 'desc', esc(p.description)) : '') +
      (review ? h('div', 'alert bad', te('panel.needs_review', { reason: labelOr(t, `review.${review.reason}`, review.reason) })) : '') +
      (hold ? h('div', 'alert warn', te('panel.held', { amount: money(hold.amountMinor, p.currency) })) : '') +
      (pending ? h('div', 'alert warn', te('panel.pending_hint')) : '') +
      // A closed link (paid, expired, cancelled) is not worth copying or sending again.
      (isPayable(p)
        ? h(
            'div',
            'linkrow',
            `<input type="text" readonly class="drl-linkinput" aria-label="${te('panel.link')}" value="${esc(p.link)}">` +
              button('copy', te('panel.copy'), false, '', p.id) +
              button('reach', te('panel.more'), false, '', p.id),
          )
        : '') +
      h(
        'dl',
        'dl',
        // "Valid until" matters only while the link can be paid.
        (isPayable(p) ? row('panel.expires', when(p.expiresAt)) : '') +
          row('panel.created', `${when(p.createdAt)} · ${nw(actorText(p.createdBy, t))}`) +
          row('panel.paid_at', when(p.paidAt)) +
          row('panel.paid_amount', p.paidAmountMinor !== null && p.paidAmountMinor !== p.amountMinor ? amount(p.paidAmountMinor) : '') +
          row('panel.refunded_amount', p.refundedAmountMinor > 0 ? amount(p.refundedAmountMinor) : '') +
          row('panel.provider_ref', esc(p.providerRef), ' class="drl-ref"'),
      ) +
      (p.sync.state === 'failing' ? h('div', 'muted small', te('panel.sync_failing')) : '') +
      renderActions(p, s, t) +
      renderAttempts(p, s, t) +
      renderHistory(p, s, t, actorText),
    ` data-payment="${esc(p.id)}"`,
  );
}

/** A confirmation step: the question, a red Yes and Back. */
function confirmStep(question: string, yes: string): string {
  return h('div', 'confirm', `<p>${question}</p>` + h('div', 'actions', yes));
}

function renderActions(p: PaymentView, s: PanelState, t: T): string {
  const te = escT(t);
  const c = s.confirm && s.confirm.paymentId === p.id ? s.confirm : undefined;
  const act = (action: string, key: string, cls = '', attrs = '') => button(action, te(key), s.busy, cls, p.id, attrs);
  const back = act('back', 'panel.back');
  const isAdmin = !!s.data?.context?.isAdmin;
  if (c && c.kind !== 'refund-amount') {
    const hold = holdOf(p);
    const amount = money(c.kind === 'refund-confirm' ? c.amountMinor : (hold?.amountMinor ?? p.amountMinor), p.currency);
    const yes = c.kind === 'refund-confirm' ? 'refund' : c.kind;
    return confirmStep(te(`panel.${yes}_confirm`, { amount }), act(`${yes}-yes`, `panel.${yes}_yes`, ' button-input_red') + back);
  }
  if (c) {
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
  let out = '';
  if (isPayable(p)) {
    // No message goes out from here: the manager sends the link themselves and records how.
    const options = CHANNELS.map((ch) => `<option value="${ch}">${te(`channels.${ch}`)}</option>`).join('');
    out += h(
      'span',
      'resend',
      `<select data-name="channel" aria-label="${te('panel.sent_via')}">${options}</select>` + act('resend', 'panel.mark_sent'),
    );
  }
  if (canCheck(p)) out += act('refresh', 'panel.refresh');
  if (isPayable(p)) out += act('cancel', 'panel.cancel');
  const hold = holdOf(p);
  // Moving money (capture, release, refund) is for admins; the server enforces it too.
  if (isAdmin && hold && hold.captureMode === 'manual' && !s.noHoldActions)
    out += act('capture', 'panel.capture') + act('void', 'panel.void');
  if (isAdmin && refundableMinor(p) > 0) out += act('refund', 'panel.refund');
  return h('div', 'actions', out);
}

function renderAttempts(p: PaymentView, s: PanelState, t: T): string {
  const te = escT(t);
  if (p.attempts.length === 0) return h('div', 'muted small', te('panel.no_attempts'));
  const head = ['provider', 'ref', 'status', 'time'].map((c) => `<th scope="col">${te(`panel.col_${c}`)}</th>`).join('');
  const rows = p.attempts
    .map(
      (a) =>
        `<tr><td>${esc(labelOr(t, `providers.${a.provider}`, a.provider))}</td><td class="drl-ref">${esc(a.providerPaymentId || a.providerOrderNo)}</td><td>${esc(
          labelOr(t, `attempt_status.${a.status}`, a.status),
        )}</td><td>${nw(dateTime(a.updatedAt, s.locale))}</td></tr>`,
    )
    .join('');
  return `<h5>${te('panel.attempts')}</h5>` + h('table', 'table', `<thead><tr>${head}</tr></thead><tbody>${rows}</tbody>`);
}

/** Who did it, in words: a manager's name, "customer", a provider's name, or "dramlink". */
export function actorText(actor: string, t: T): string {
  const [kind, who] = actor.split(':');
  if (kind === 'provider' && who) return labelOr(t, `providers.${who}`, who);
  return userName(actor) ?? labelOr(t, `actor.${kind}`, t('actor.system'));
}

/** The refund input starts at what is left, in major units. */
export function refundDefault(p: PaymentView): string {
  return isCurrency(p.currency) ? minorToMajorString(refundableMinor(p), p.currency, { trim: true }) : '';
}
