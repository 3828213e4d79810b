import type { PaymentView } from '../../../shared/api.ts';
import { toApiError } from '../api-client.ts';
import { actionTarget } from '../dom.ts';
import type { Panel } from './panel-context.ts';
import { submitCreate, submitRefundAmount } from './panel-forms.ts';
import { openReach } from './open-reach.ts';
import { loadPanel, runAction } from './panel-requests.ts';
import { refundDefault } from './render-payment.ts';

type Channel = 'copy' | 'email' | 'sms' | 'chat' | 'other';

/** What "Check status" says: what changed, or honestly that the provider reported nothing new. */
const checked = (before: PaymentView) => (changed: PaymentView[]) => {
  const after = changed[0];
  const same =
    after.status === before.status &&
    after.refundedAmountMinor === before.refundedAmountMinor &&
    JSON.stringify(after.attempts) === JSON.stringify(before.attempts);
  return { key: same ? 'panel.refreshed_same' : 'panel.refreshed_changed' };
};

/**
 * One delegated click handler on the panel's root: a button says what it does in data-action, and
 * which payment in data-id. Actions on a payment wait while another action is in flight.
 */
export function onPanelClick(panel: Panel, ev: Event): void {
  const { d, view } = panel;
  const { api } = d;
  const el = actionTarget(ev, d.root);
  if (!el) return;
  const { state } = view;
  const id = el.getAttribute('data-id') ?? '';
  const p = state.data?.payments.find((x) => x.id === id);
  const action = el.getAttribute('data-action') ?? '';
  const run = (call: () => Promise<PaymentView>, okKey: Parameters<typeof runAction>[2]) => void runAction(panel, call, okKey);
  switch (action) {
    case 'reload':
      return void loadPanel(panel);
    case 'toggle':
      return view.set({ expanded: state.expanded.includes(id) ? state.expanded.filter((x) => x !== id) : [...state.expanded, id] });
    case 'create-open':
      return view.set({ createOpen: true, createErrors: undefined });
    case 'create-close':
      return view.set({ createOpen: false, createErrors: undefined, draft: undefined });
    case 'back':
      return view.set({ confirm: undefined });
    case 'create-submit':
      return state.busy ? undefined : submitCreate(panel);
  }
  if (!p || state.busy) return;
  switch (action) {
    case 'copy':
      return void d
        .copy(p.link)
        .then((ok) => view.notify(ok ? { kind: 'ok', msg: { key: 'panel.copied' } } : { kind: 'warn', msg: { key: 'panel.copy_failed' } }));
    case 'reach':
      return openReach(panel, p);
    case 'resend': {
      const select = el.closest('[data-payment]')?.querySelector('[data-name="channel"]') as HTMLSelectElement | null;
      const channel = (select?.value ?? 'other') as Channel;
      // "Copied" as a channel: put it on the clipboard too, then record it.
      const before = channel === 'copy' ? d.copy(p.link) : Promise.resolve(true);
      return void before.then(() => run(() => api.resend(p.id, { channel }), 'panel.marked_sent'));
    }
    case 'refresh':
      return run(() => api.refresh(p.id), checked(p));
    case 'cancel':
    case 'capture':
    case 'void':
      return view.set({ confirm: { kind: action, paymentId: p.id } });
    case 'cancel-yes':
      return run(() => api.cancel(p.id), 'panel.cancelled');
    case 'capture-yes':
    case 'void-yes':
      return void holdAction(panel, p, action === 'capture-yes' ? 'capture' : 'void');
    case 'refund':
      return view.set({ confirm: { kind: 'refund-amount', paymentId: p.id, value: refundDefault(p) } });
    case 'refund-next':
      return submitRefundAmount(panel, p, el.closest('[data-form="refund"]'));
    case 'refund-yes': {
      const c = state.confirm;
      if (c?.kind === 'refund-confirm' && c.paymentId === p.id)
        run(() => api.refund(p.id, { amountMinor: c.amountMinor }), 'panel.refund_done');
    }
  }
}

/** Capture or release held funds; a server without two-stage payments (404) loses the buttons instead of showing an error. */
async function holdAction(panel: Panel, p: PaymentView, what: 'capture' | 'void'): Promise<void> {
  await runAction(panel, () => panel.d.api[what](p.id), `panel.${what}_done`);
  const n = panel.view.state.notice;
  if (n?.kind === 'error' && toApiError(n.error).status === 404 && !/^payment_not_found$/.test(n.error.code)) {
    panel.view.set({ noHoldActions: true, confirm: undefined });
    panel.view.notify({ kind: 'warn', msg: { key: 'panel.hold_unavailable' } });
  }
}
