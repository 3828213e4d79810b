import type { PipelineSetupView } from '../../../shared/api.ts';
import { isObject, type Call } from '../api-client.ts';

/**
 * The Digital Pipeline action's quick settings (`dpSettings`; docs/architecture.md, Digital
 * Pipeline): amoCRM draws a text input per `dp.settings` key of the manifest. The hook key input is
 * hidden and filled with the account's key from the server (the hook is refused without it), and
 * the amount source becomes a choice between the lead's price and a fixed amount. amoCRM may draw
 * the form after the callback, so the filling is tried again shortly.
 */
export function fillPipelineSettings(
  root: ParentNode,
  call: Call,
  labels: { amount: string; leadPrice: string; fixed: string },
): Promise<void> {
  return call('GET', '/api/v1/pipeline/setup').then((x) => {
    if (!isObject(x) || typeof x.key !== 'string') return;
    const setup = x as unknown as PipelineSetupView;
    const fill = () => {
      const input = (name: string) => root.querySelector(`input[name="${name}"]`) as HTMLInputElement | null;
      const key = input(setup.settingKeys.key);
      if (key) {
        (key.closest('.widget_settings_block__item_field') as HTMLElement | null)?.style.setProperty('display', 'none');
        key.type = 'hidden';
        if (key.value !== setup.key) set(key, setup.key);
      }
      const amount = input(setup.settingKeys.amount);
      if (amount && !amount.dataset.drl)
        asChoice(amount, labels.amount, [
          ['lead_price', labels.leadPrice],
          ['fixed', labels.fixed],
        ]);
      return !!key;
    };
    if (!fill()) setTimeout(fill, 300);
  });
}

export function set(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

/**
 * A text input amoCRM drew, shown as a select that writes its value back into the input amoCRM
 * saves. The select is named like the input (its label, else the setting's name): a screen reader
 * says what it chooses. The Salesbot designer step's amount uses it too (salesbot-designer.ts).
 */
export function asChoice(input: HTMLInputElement, name: string, options: Array<[string, string]>): void {
  input.dataset.drl = '1';
  const select = document.createElement('select');
  select.setAttribute('aria-label', input.labels?.[0]?.textContent?.trim() || name);
  for (const [value, label] of options) select.add(new Option(label, value, false, input.value === value));
  if (!input.value) set(input, options[0][0]);
  select.addEventListener('change', () => set(input, select.value));
  input.style.display = 'none';
  input.insertAdjacentElement('afterend', select);
}
