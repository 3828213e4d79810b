import type { PaymentView } from '../../../shared/api.ts';
import { describeError } from '../error-text.ts';
import { dateTime, money } from '../format.ts';
import { button, esc, escT, h } from '../html.ts';
import type { T } from '../i18n.ts';
import { renderLoadError } from '../render-load-error.ts';
import { renderNotice } from '../render-notice.ts';
import { displayStatus, renderBadge } from './badge.ts';
import { defaultDraft, isPayable, type PanelState } from './panel-state.ts';
import { renderCreateForm } from './render-create-form.ts';
import { renderExceptions } from './render-exceptions.ts';
import { renderPayment } from './render-payment.ts';

/**
 * The whole lead-card panel as an HTML string: a pure function of state, so every state (loading,
 * empty, error, each status, each role) is testable without a browser. Every value is escaped.
 */
export function renderPanel(s: PanelState, t: T): string {
  return h('div', 'panel', renderBody(s, t) + h('div', 'notice-slot', renderNotice(s.notice, t, s.serverUrl), ' aria-live="polite"'));
}

function renderBody(s: PanelState, t: T): string {
  const te = escT(t);
  if (s.phase === 'loading') return h('div', 'muted', te('panel.loading'));
  const data = s.data;
  if (s.phase === 'error' || !data) {
    const e = describeError(s.error || { status: 200, code: 'bad_response', message: '' }, t, s.serverUrl);
    return renderLoadError(e.text, e.hint, t);
  }
  const [current, ...older] = data.payments;
  // Built only when shown: with a payment on the card the form stays closed until asked for.
  const form = () =>
    renderCreateForm(
      {
        data,
        values: s.draft || defaultDraft(data),
        errors: s.createErrors,
        busy: s.busy,
        closable: !!current,
        open: data.payments.filter(isPayable),
      },
      t,
    );
  if (!current) return renderExceptions(data, t) + h('div', 'empty muted', te('panel.empty')) + form();
  return (
    renderExceptions(data, t) +
    // The lead's status is shown apart only when an older payment makes it differ from the newest one's.
    (data.crmStatus && data.crmStatus !== current.crmStatus
      ? h('div', 'leadstatus', `${te('panel.lead_status')} ${renderBadge(data.crmStatus, t)}`)
      : '') +
    renderPayment(current, s, t) +
    (s.createOpen ? form() : h('div', 'actions', button('create-open', te('panel.new_payment'), s.busy, ' button-input_blue'))) +
    renderOlder(older, s, t)
  );
}

function renderOlder(older: PaymentView[], s: PanelState, t: T): string {
  if (older.length === 0) return '';
  const items = older
    .map((p) => {
      const open = s.expanded.includes(p.id);
      const summary = `<span aria-hidden="true">${open ? '▾' : '▸'}</span> ${renderBadge(displayStatus(p), t)} ${h('span', 'nw', esc(money(p.amountMinor, p.currency)))} · ${h('span', 'nw', esc(dateTime(p.createdAt, s.locale)))}`;
      return h(
        'li',
        '',
        h('button', 'toggle', summary, ` type="button" data-action="toggle" data-id="${esc(p.id)}" aria-expanded="${open}"`) +
          (open ? renderPayment(p, s, t) : ''),
      );
    })
    .join('');
  // An older link the customer can still pay is easy to forget: say so above the list.
  const payable = older.filter(isPayable).length;
  return h(
    'div',
    'older',
    `<h5>${escT(t)('panel.older', { count: older.length })}</h5>` +
      (payable ? h('div', 'alert warn', escT(t)('panel.older_open', { count: payable })) : '') +
      `<ul>${items}</ul>`,
  );
}
