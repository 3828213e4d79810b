import type { PaymentView } from '../../../shared/api.ts';
import { toApiError } from '../api-client.ts';
import type { Panel } from './panel-context.ts';
import { applyPayment, type PanelState } from './panel-state.ts';

/** The one GET when the card opens (and on Reload): the payments and the context the panel needs. */
export async function loadPanel({ d, view }: Panel): Promise<void> {
  view.set({ phase: 'loading', error: undefined, notice: undefined });
  try {
    const data = await d.api.leadPayments(d.leadId);
    view.set({ phase: 'ready', data, busy: false });
  } catch (e) {
    view.set({ phase: 'error', error: toApiError(e) });
  }
}

/**
 * Runs one payment action. `busy` disables every button meanwhile, so a double click cannot send it
 * twice; the payment it returns replaces the old one without re-fetching the lead.
 */
export async function runAction(
  { view }: Panel,
  run: () => Promise<PaymentView>,
  okKey: string,
  after: Partial<PanelState> = {},
): Promise<void> {
  if (view.state.busy || !view.state.data) return;
  view.set({ busy: true, notice: undefined });
  try {
    const payment = await run();
    if (!view.alive || !view.state.data) return;
    view.set(Object.assign({ busy: false, confirm: undefined, data: applyPayment(view.state.data, payment) }, after));
    view.notify({ kind: 'ok', msg: { key: okKey } });
  } catch (e) {
    view.set({ busy: false });
    view.notify({ kind: 'error', error: toApiError(e) });
  }
}
