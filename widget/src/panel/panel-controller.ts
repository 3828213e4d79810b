import type { PaymentView } from '../../../shared/api.ts';
import { toApiError, type Api } from '../api-client.ts';
import { actionTarget, collectValues, enterSubmits } from '../dom.ts';
import { money } from '../format.ts';
import type { T } from '../i18n.ts';
import { parseCreateForm, parseRefundAmount } from './create-form.ts';
import { applyPayment, initialPanelState, refundableMinor, type Notice, type PanelState } from './panel-state.ts';
import { renderNotice } from '../render-notice.ts';
import { renderPanel } from './render-panel.ts';
import { refundDefault } from './render-payment.ts';

export interface PanelDeps {
  api: Api;
  t: T;
  leadId: number;
  locale: string;
  serverUrl: string;
  root: HTMLElement;
  copy: (text: string) => Promise<boolean>;
}

export interface Mounted {
  destroy(): void;
}

const NOTICE_MS = 4000;

/**
 * Owns one panel: state, the single GET when the card opens, event delegation on the root, and the
 * API calls behind each button. Rendering itself is renderPanel's job.
 */
export function mountPanel(d: PanelDeps): Mounted {
  const { api, t, root } = d;
  let state: PanelState = initialPanelState(d.locale, d.serverUrl);
  let alive = true;
  let noticeTimer: ReturnType<typeof setTimeout> | undefined;

  const set = (patch: Partial<PanelState>) => {
    if (!alive) return;
    // Keep what the manager is typing: a repaint after an action elsewhere must not wipe the form.
    // Captured before the patch, so a patch that clears the draft (after a create) still wins.
    const form = root.querySelector('[data-form="create"]');
    state = Object.assign({}, state, form ? { draft: collectValues(form) } : {}, patch);
    root.innerHTML = renderPanel(state, t);
  };
  const focusInvalid = () => (root.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus();

  /** Notices repaint only their slot, so a message fading out cannot steal focus from a form. */
  const notify = (notice: Notice | undefined) => {
    if (!alive) return;
    clearTimeout(noticeTimer);
    state = Object.assign({}, state, { notice });
    const slot = root.querySelector('.drl-notice-slot');
    if (slot) slot.innerHTML = renderNotice(notice, t, d.serverUrl);
    if (notice && notice.kind !== 'error') noticeTimer = setTimeout(() => notify(undefined), NOTICE_MS);
  };

  const load = async () => {
    set({ phase: 'loading', error: undefined, notice: undefined });
    try {
      const data = await api.leadPayments(d.leadId);
      set({ phase: 'ready', data, busy: false });
    } catch (e) {
      set({ phase: 'error', error: toApiError(e) });
    }
  };

  const act = async (run: () => Promise<PaymentView>, okKey: string, after: Partial<PanelState> = {}) => {
    if (state.busy || !state.data) return;
    set({ busy: true, notice: undefined });
    try {
      const payment = await run();
      if (!alive || !state.data) return;
      set(Object.assign({ busy: false, confirm: undefined, data: applyPayment(state.data, payment) }, after));
      notify({ kind: 'ok', msg: { key: okKey } });
    } catch (e) {
      set({ busy: false });
      notify({ kind: 'error', error: toApiError(e) });
    }
  };

  const copyLink = async (link: string) => {
    const ok = await d.copy(link);
    notify(ok ? { kind: 'ok', msg: { key: 'panel.copied' } } : { kind: 'warn', msg: { key: 'panel.copy_failed' } });
    return ok;
  };

  const onClick = (ev: Event) => {
    const el = actionTarget(ev, root);
    if (!el) return;
    const id = el.getAttribute('data-id') ?? '';
    const p = state.data?.payments.find((x) => x.id === id);
    switch (el.getAttribute('data-action')) {
      case 'reload':
        void load();
        return;
      case 'toggle':
        set({ expanded: state.expanded.includes(id) ? state.expanded.filter((x) => x !== id) : [...state.expanded, id] });
        return;
      case 'create-open':
        set({ createOpen: true, createErrors: undefined });
        return;
      case 'create-close':
        set({ createOpen: false, createErrors: undefined, draft: undefined });
        return;
      case 'back':
        set({ confirm: undefined });
        return;
      case 'create-submit':
        if (!state.busy) submitCreate();
        return;
    }
    if (!p || state.busy) return;
    switch (el.getAttribute('data-action')) {
      case 'copy':
        void copyLink(p.link);
        return;
      case 'resend': {
        const select = el.closest('[data-payment]')?.querySelector('[data-name="channel"]') as HTMLSelectElement | null;
        const channel = (select?.value ?? 'other') as 'copy' | 'email' | 'sms' | 'chat' | 'other';
        // "Copy" as a channel means the manager pastes it somewhere: put it on the clipboard, then log it.
        const before = channel === 'copy' ? d.copy(p.link) : Promise.resolve(true);
        void before.then(() => act(() => api.resend(p.id, { channel }), 'panel.resent'));
        return;
      }
      case 'refresh':
        void act(() => api.refresh(p.id), 'panel.refreshed');
        return;
      case 'cancel':
        set({ confirm: { kind: 'cancel', paymentId: p.id } });
        return;
      case 'cancel-yes':
        void act(() => api.cancel(p.id), 'panel.cancelled');
        return;
      case 'refund':
        set({ confirm: { kind: 'refund-amount', paymentId: p.id, value: refundDefault(p) } });
        return;
      case 'refund-next':
        submitRefundAmount(p, el.closest('[data-form="refund"]'));
        return;
      case 'refund-yes': {
        const c = state.confirm;
        if (c?.kind === 'refund-confirm' && c.paymentId === p.id) {
          void act(() => api.refund(p.id, { amountMinor: c.amountMinor }), 'panel.refund_done');
        }
        return;
      }
    }
  };

  const submitCreate = () => {
    const form = root.querySelector('[data-form="create"]');
    if (!form || !state.data) return;
    const values = collectValues(form);
    const parsed = parseCreateForm(values, state.data.context?.enabledProviders);
    if (!parsed.ok) {
      set({ draft: values, createErrors: parsed.errors });
      focusInvalid();
      return;
    }
    void act(() => api.createPayment(d.leadId, parsed.body), 'create.created', {
      createOpen: false,
      draft: undefined,
      createErrors: undefined,
    });
  };

  const submitRefundAmount = (p: PaymentView, block: Element | null) => {
    const value = String((block && collectValues(block).refund_amount) ?? '');
    const max = refundableMinor(p);
    const amountMinor = parseRefundAmount(value, p.currency, max);
    set({
      confirm:
        amountMinor === undefined
          ? { kind: 'refund-amount', paymentId: p.id, value, error: { key: 'errors.refund_amount', vars: { max: money(max, p.currency) } } }
          : { kind: 'refund-confirm', paymentId: p.id, amountMinor },
    });
    focusInvalid();
  };

  const onKeydown = (ev: KeyboardEvent) => {
    const button = enterSubmits(ev, root);
    if (!button) return;
    ev.preventDefault();
    button.click();
  };

  root.addEventListener('click', onClick);
  root.addEventListener('keydown', onKeydown);
  void load();

  return {
    destroy() {
      alive = false;
      clearTimeout(noticeTimer);
      root.removeEventListener('click', onClick);
      root.removeEventListener('keydown', onKeydown);
      root.remove();
    },
  };
}
