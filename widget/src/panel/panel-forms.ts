import type { PaymentView } from '../../../shared/api.ts';
import { collectValues, focusInvalid } from '../dom.ts';
import { money } from '../format.ts';
import { parseCreateForm, parseRefundAmount } from './create-form.ts';
import type { Panel } from './panel-context.ts';
import { runAction } from './panel-requests.ts';
import { refundableMinor } from './panel-state.ts';

/** Create: mistakes are shown next to their fields (and focused) instead of being sent. */
export function submitCreate(panel: Panel): void {
  const { d, view } = panel;
  const form = d.root.querySelector('[data-form="create"]');
  if (!form || !view.state.data) return;
  const values = collectValues(form);
  const parsed = parseCreateForm(values, view.state.data.context?.enabledProviders);
  if (!parsed.ok) {
    view.set({ draft: values, createErrors: parsed.errors });
    focusInvalid(d.root);
    return;
  }
  void runAction(panel, () => d.api.createPayment(d.leadId, parsed.body), 'create.created', {
    createOpen: false,
    draft: undefined,
    createErrors: undefined,
  });
}

/** Refund, step one: the amount typed, at most what is left, then a confirmation step with it. */
export function submitRefundAmount({ d, view }: Panel, p: PaymentView, block: Element | null): void {
  const value = String((block && collectValues(block).refund_amount) ?? '');
  const max = refundableMinor(p);
  const amountMinor = parseRefundAmount(value, p.currency, max);
  view.set({
    confirm:
      amountMinor === undefined
        ? { kind: 'refund-amount', paymentId: p.id, value, error: { key: 'errors.refund_amount', vars: { max: money(max, p.currency) } } }
        : { kind: 'refund-confirm', paymentId: p.id, amountMinor },
  });
  focusInvalid(d.root);
}
