import type { WidgetHost } from '../amo-host.ts';
import { createCaller } from '../api-client.ts';
import { esc } from '../html.ts';
import { translatorFor } from '../i18n.ts';
import { resolveServerUrl } from '../server-url.ts';
import { injectStyles } from '../styles.ts';
import { openBulk } from './bulk-view.ts';
import { fillPipelineSettings } from './dp-settings.ts';
import { toElement } from '../dom.ts';
import { fillDesignerSettings, type RenderRow } from './salesbot-designer.ts';
import { salesbotSteps } from './salesbot-steps.ts';

export const BULK_ROOT_ID = 'drl-bulk-root';

/** amoCRM's runtime in the lead list: `list_selected()` names the ticked rows (https://www.amocrm.ru/developers/content/web_sdk/list). */
export interface ListHost extends WidgetHost {
  list_selected?(): { selected?: Array<{ id: number | string; type?: string }> } | undefined;
}

/**
 * The lead list's mass action (`callbacks.leads.selected`, manifest location `llist`): the ticked
 * leads' ids go to the bulk view in the right column amoCRM opens for the widget. Returns its close.
 */
export function openBulkFor(self: ListHost): () => void {
  const ids = (self.list_selected?.()?.selected ?? []).map((x) => Number(x.id)).filter((n) => Number.isSafeInteger(n) && n > 0);
  const serverUrl = resolveServerUrl(self.get_settings?.());
  const t = translatorFor(self);
  injectStyles(document, self);
  document.getElementById(BULK_ROOT_ID)?.remove();
  const html = `<div id="${BULK_ROOT_ID}" class="dramlink"></div>`;
  if (typeof self.render_template === 'function')
    self.render_template({ caption: { class_name: 'dramlink-caption' }, body: '', render: html });
  if (!document.getElementById(BULK_ROOT_ID))
    (document.getElementById('widgets_block') ?? document.body).insertAdjacentHTML('beforeend', html);
  const root = document.getElementById(BULK_ROOT_ID)!;
  if (ids.length === 0) {
    root.innerHTML = `<div class="drl-muted">${esc(t('reach.bulk_none'))}</div>`;
    return () => root.remove();
  }
  const stop = openBulk(root, { call: createCaller(self, serverUrl), serverUrl, t, leadIds: ids });
  return () => {
    stop();
    root.remove();
  };
}

/** The Digital Pipeline action's settings (`callbacks.dpSettings`): the hidden hook key filled, the amount a choice. */
export function pipelineSettingsFor(self: WidgetHost): Promise<void> {
  const t = translatorFor(self);
  const call = createCaller(self, resolveServerUrl(self.get_settings?.()));
  return fillPipelineSettings(document, call, {
    amount: t('dp.amount_source'),
    leadPrice: t('reach.dp_lead_price'),
    fixed: t('reach.dp_fixed'),
  });
}

/** The Salesbot designer's settings of dramlink's step (`callbacks.salesbotDesignerSettings`; its exits are script.js's). */
export function salesbotDesignerFor(self: WidgetHost, $body: unknown, renderRow: unknown): void {
  const body = toElement($body);
  if (!body) return;
  const t = translatorFor(self);
  fillDesignerSettings(body, typeof renderRow === 'function' ? (renderRow as RenderRow) : undefined, {
    amount: t('dp.amount_source'),
    leadPrice: t('reach.dp_lead_price'),
    fixed: t('reach.dp_fixed'),
    hintCaption: t('sb.hint_caption'),
    hint: t('sb.hint'),
  });
}

/** What `callbacks.onSalesbotDesignerSave` returns: the step's bot code, calling this widget's server. */
export function salesbotStepsFor(self: WidgetHost, handler: unknown, params: unknown): string {
  return salesbotSteps(resolveServerUrl(self.get_settings?.()), handler, params);
}
