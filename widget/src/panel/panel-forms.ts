import type { PaymentView } from '../../../shared/api.ts';
import { collectValues, focusInvalid } from '../dom.ts';
import { money } from '../format.ts';
import { parseCreateForm, parseRefundAmount } from './create-form.ts';
import type { Panel } from './panel-context.ts';
import { runAction } from './panel-requests.ts';
import { isPayable, refundableMinor } from './panel-state.ts';

/**
 * Create: mistakes are shown next to their fields (and focused) instead of being sent. With "cancel
 * the open link" ticked, the older open links are cancelled once the new one exists, so the
 * customer can pay only one.
 */
export function submitCreate(panel: Panel): void {
  const { d, view } = panel;
  const form = d.root.querySelector('[data-form="create"]');
  const data = view.state.data;
  if (!form || !data) return;
  const values = collectValues(form);
  const parsed = parseCreateForm(values, data.context?.enabledProviders, data.context?.providerCurrencies);
  if (!parsed.ok) {
    view.set({ draft: values, createErrors: parsed.errors });
    focusInvalid(d.root);
    return;
  }
  const replace = values.replace === true ? data.payments.filter(isPayable) : [];
  let failed = 0;
  void runAction(
    panel,
    async () => {
      const created = await d.api.createPayment(d.leadId, parsed.body);
      const cancelled: PaymentView[] = [];
      for (const old of replace)
        await d.api.cancel(old.id).then(
          (p) => cancelled.push(p),
          () => failed++,
        );
      return [...cancelled, created];
    },
    () => (failed ? { key: 'create.replace_failed', warn: true } : { key: replace.length ? 'create.created_replaced' : 'create.created' }),
    { createOpen: false, draft: undefined, createErrors: undefined },
  );
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
