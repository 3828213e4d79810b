import { esc } from '../html.ts';
import { asChoice } from './dp-settings.ts';

export interface DesignerLabels {
  amount: string;
  leadPrice: string;
  fixed: string;
  /** The caption of the row that says what the bot's next blocks can use. */
  hintCaption: string;
  hint: string;
}

/** amoCRM's `renderRow(caption)`: the markup of one settings row in the designer's own style. */
export type RenderRow = (caption?: string) => unknown;

const HINT_CLASS = 'drl-sb-hint';

/**
 * The settings of dramlink's step in the Salesbot designer (`salesbotDesignerSettings($body,
 * renderRow, params)`, https://www.amocrm.ru/developers/content/integrations/salesbot_widget).
 * amoCRM draws one row per setting of the manifest, each with an input
 * `[data-field-name="<key>"][name="value_manual"]` whose value it saves; the amount source becomes a
 * choice between the lead's price and a fixed amount (written back into that input), and a row drawn
 * with amoCRM's `renderRow` says what the bot's next blocks can use. Drawing twice changes nothing.
 */
export function fillDesignerSettings(body: HTMLElement, renderRow: RenderRow | undefined, labels: DesignerLabels): void {
  const amount = body.querySelector('[data-field-name="amount_source"][name="value_manual"]') as HTMLInputElement | null;
  if (amount && !amount.dataset.drl)
    asChoice(amount, labels.amount, [
      ['lead_price', labels.leadPrice],
      ['fixed', labels.fixed],
    ]);
  if (body.querySelector(`.${HINT_CLASS}`)) return;
  const holder = document.createElement('div');
  const markup = typeof renderRow === 'function' ? renderRow(labels.hintCaption) : undefined;
  holder.innerHTML = typeof markup === 'string' ? markup : `<div>${esc(labels.hintCaption)}</div>`;
  const row = (holder.firstElementChild as HTMLElement | null) ?? holder;
  row.insertAdjacentHTML('beforeend', `<div class="${HINT_CLASS}">${esc(labels.hint)}</div>`);
  body.appendChild(row);
}
