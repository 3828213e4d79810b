import type { PaymentView } from '../../../shared/api.ts';
import { toApiError } from '../api-client.ts';
import type { Panel } from './panel-context.ts';
import { applyPayment, type PanelState } from './panel-state.ts';

/** The one GET when the card opens (and on Reload): the payments and the context the panel needs. */
export async function loadPanel(panel: Panel): Promise<void> {
  const { d, view } = panel;
  view.set({ phase: 'loading', error: undefined, notice: undefined });
  try {
    const data = await d.api.leadPayments(d.leadId, d.locale);
    view.set({ phase: 'ready', data, busy: false });
    panel.kick();
  } catch (e) {
    view.set({ phase: 'error', error: toApiError(e) });
  }
}

/**
 * Runs one payment action. `busy` disables every button meanwhile, so a double click cannot send it
 * twice; the payments it returns replace the old ones without re-fetching the lead. `okKey` may
 * depend on what came back.
 */
export async function runAction(
  panel: Panel,
  run: () => Promise<PaymentView | PaymentView[]>,
  okKey: string | ((changed: PaymentView[]) => { key: string; warn?: boolean }),
  after: Partial<PanelState> = {},
): Promise<void> {
  const { view } = panel;
  if (view.state.busy || !view.state.data) return;
  view.set({ busy: true, notice: undefined });
  try {
    const result = await run();
    const changed = Array.isArray(result) ? result : [result];
    if (!view.alive || !view.state.data) return;
    view.set(Object.assign({ busy: false, confirm: undefined, data: applyPayment(view.state.data, ...changed) }, after));
    const ok = typeof okKey === 'string' ? { key: okKey } : okKey(changed);
    view.notify({ kind: ok.warn ? 'warn' : 'ok', msg: { key: ok.key } });
    panel.kick();
  } catch (e) {
    view.set({ busy: false });
    view.notify({ kind: 'error', error: toApiError(e) });
  }
}
