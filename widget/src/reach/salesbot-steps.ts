import { SALESBOT_EXITS, type SalesbotExit } from '../salesbot-exits.ts';

/** The manifest's `salesbot_designer` handler: "dramlink: payment link". */
export const SALESBOT_HANDLER = 'payment_link';

/**
 * The step's settings (the manifest's `salesbot_designer.payment_link.settings`): the names the
 * Digital Pipeline action uses too, read by the server as the link's amount, payment methods and
 * lifetime (server/lead-links/automation-settings.ts).
 */
export const SALESBOT_SETTING_KEYS = ['amount_source', 'fixed_amount', 'providers', 'lifetime_hours'] as const;

/** The server's answer (`{{json.status}}`) that leads out through each exit; anything else is `error`. */
const STATUS_OF_EXIT: Record<Exclude<SalesbotExit, 'error'>, string> = { success: 'ok', paid: 'paid' };

/**
 * A setting as the designer hands it over: amoCRM's docs show plain strings; widgets in the wild
 * also read `{value_manual}` (what the admin typed) or `{value}`. Anything else is empty.
 */
export function settingText(v: unknown): string {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (v && typeof v === 'object') {
    const o = v as { value_manual?: unknown; value?: unknown };
    return settingText(typeof o.value_manual === 'string' && o.value_manual.trim() ? o.value_manual : o.value);
  }
  return '';
}

/**
 * What `onSalesbotDesignerSave` returns: the bot's code for dramlink's step, as a JSON string
 * (https://www.amocrm.ru/developers/content/integrations/salesbot_widget). Block 0 posts the
 * `widget_request` to this server's `/amocrm/salesbot` with the lead (`{{lead.id}}`, filled by
 * amoCRM) and the chosen settings, then goes on to block 1 once the server continued the bot;
 * block 1 leaves through the exit the server's `status` names (`ok` → success, `paid` → paid,
 * anything else → error), so the admin draws the bot's next blocks from each exit.
 */
export function salesbotSteps(serverUrl: string, handler: unknown, params: unknown): string {
  const p = params && typeof params === 'object' ? (params as Record<string, unknown>) : {};
  const data: Record<string, string> = { lead_id: '{{lead.id}}', dramlink_step: typeof handler === 'string' ? handler : SALESBOT_HANDLER };
  for (const key of SALESBOT_SETTING_KEYS) data[key] = settingText(p[key]);
  const exit = (value: SalesbotExit) => ({ handler: 'exits', params: { value } });
  const branches = SALESBOT_EXITS.filter((x): x is Exclude<SalesbotExit, 'error'> => x !== 'error').map((x) => ({
    handler: 'conditions',
    params: { logic: 'and', conditions: [{ term1: '{{json.status}}', term2: STATUS_OF_EXIT[x], operation: '=' }], result: [exit(x)] },
  }));
  return JSON.stringify([
    {
      question: [
        { handler: 'widget_request', params: { url: `${serverUrl.replace(/\/+$/, '')}/amocrm/salesbot`, data } },
        { handler: 'goto', params: { type: 'question', step: 1 } },
      ],
    },
    { question: [...branches, exit('error')] },
  ]);
}
