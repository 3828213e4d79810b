import type { PaymentMessageView, PaymentView } from '../../../shared/api.ts';
import { toApiError } from '../api-client.ts';
import { describeError } from '../error-text.ts';
import { button, esc, escT, h } from '../html.ts';
import type { SendBoxDeps } from './reach-types.ts';

/**
 * "Send or show": the ways a link really reaches the customer from the card (docs/architecture.md,
 * Send it from the card). The account's Salesbot sends it into the lead's chat (recorded by the
 * server once amoCRM accepted the start); the ready message in the account's language is copied for
 * the manager to paste; the chat-template marker of the DRAMLINK_LINK field is shown for amoCRM's
 * reply templates; the QR code is drawn by the server for a customer at the counter, fetched only
 * when asked. Copying records nothing: the panel's "Mark as sent" does once it went.
 */
export function openSendBox(container: HTMLElement, p: PaymentView, d: SendBoxDeps): () => void {
  const te = escT(d.t);
  let message: PaymentMessageView | undefined;
  let qr = false;
  let error = '';
  const paint = () => {
    const m = message;
    container.innerHTML = h(
      'div',
      'reach',
      h('div', 'reach-title', te('reach.title')) +
        (error ? h('div', 'alert bad', esc(error), ' role="alert"') : '') +
        (!m
          ? h('div', 'muted', te('panel.loading'))
          : (m.salesbotConfigured
              ? button('reach-bot', te('reach.send_bot'), false, ' button-input_blue')
              : h('div', 'muted small', te('reach.no_bot'))) +
            `<textarea readonly rows="4" class="drl-msg" aria-label="${te('reach.message')}">${esc(m.text)}</textarea>` +
            button('reach-copy', te('reach.copy_message'), false) +
            (m.templateMarker ? h('div', 'muted small', te('reach.template', { marker: m.templateMarker })) : '')) +
        button('reach-qr', te(qr ? 'reach.hide_qr' : 'reach.show_qr'), false) +
        (qr ? `<img class="drl-qr" width="200" height="200" alt="${te('reach.qr_alt')}" src="${esc(p.link)}/qr.svg">` : ''),
    );
  };
  const onClick = (ev: Event) => {
    const action = (ev.target as Element | null)?.closest?.('[data-action]')?.getAttribute('data-action');
    if (action === 'reach-qr') qr = !qr;
    else if (action === 'reach-bot') d.sendViaBot(p);
    else if (action === 'reach-copy' && message)
      void d.copy(message.text).then((ok) => {
        error = ok ? '' : d.t('panel.copy_failed');
        paint();
      });
    else return;
    paint();
  };
  container.addEventListener('click', onClick);
  paint();
  d.call('GET', `/api/v1/payments/${encodeURIComponent(p.id)}/message`).then(
    (x) => {
      message = x as PaymentMessageView;
      paint();
    },
    (e) => {
      error = describeError(toApiError(e), d.t, d.serverUrl).text;
      paint();
    },
  );
  return () => {
    container.removeEventListener('click', onClick);
    container.innerHTML = '';
  };
}
