import type { ObservationTopic } from '../observations/observation-store.ts';

/**
 * What dramlink's invoices, pipeline action and Salesbot features assume about amoCRM that amoCRM
 * does not document (or documents in two ways), each with the one file to change when a real
 * account shows otherwise. `npm run doctor` prints each with what this account's traffic showed
 * (the `amocrm_observations` rows; docs/architecture.md, What a real account must confirm).
 */
export interface ReachFact {
  topic: ObservationTopic;
  /** What we assume, in one line. */
  assumption: string;
  /** The single place that encodes the assumption. */
  where: string;
  /** Where amoCRM says what it says. */
  source: string;
}

export const REACH_FACTS: readonly ReachFact[] = [
  {
    topic: 'paywall',
    assumption:
      'PayWall (public integrations, "Invoices and acquiring" category, amoCRM only: no Kommo page found) sends the customer to the registered address with the account id, invoice id and the method code = our provider name; the invoices catalog is found by GET /api/v4/catalogs (type invoices) and the invoice lead by its links',
    where: 'server/invoices/invoice-lookup.ts, server/amocrm/endpoints/catalogs.ts',
    source: 'https://www.amocrm.ru/developers/content/integrations/banks-and-acquiring',
  },
  {
    topic: 'invoice_sync',
    assumption:
      'an invoice is marked paid by PATCH /api/v4/catalogs/{id}/elements with BILL_STATUS by enum_code and BILL_PAYMENT_DATE, without its name (the docs mark name required); a partial payment has no documented field',
    where: 'server/sync/invoice-writer.ts',
    source: 'https://www.amocrm.ru/developers/content/crm_platform/catalogs-api',
  },
  {
    topic: 'digital_pipeline',
    assumption:
      'the pipeline action’s hook (dp.webhook_url) comes as JSON or a form, unsigned, with the per-account key in the action settings, types 14/15 with direction went_to_trigger; retries are undocumented (duplicates are absorbed)',
    where: 'server/pipeline/pipeline-hook.ts',
    source: 'https://www.amocrm.ru/developers/content/digital_pipeline/integrations',
  },
  {
    topic: 'salesbot',
    assumption:
      'a widget_request token is HS512 (the official library) or HS256 under the client secret; the bot is continued once on its return_url with data only (the buttons format of execute_handlers is undocumented, so none are sent)',
    where: 'server/salesbot/bot-token.ts, server/sync/bot-continue-writer.ts',
    source: 'https://www.amocrm.ru/developers/content/digital_pipeline/salesbot',
  },
  {
    topic: 'salesbot_designer',
    assumption:
      'the Salesbot designer offers the manifest’s salesbot_designer handler (payment_link), calls salesbotDesignerSettings($body, renderRow, params) when the step is added (each setting an input [data-field-name=<key>][name=value_manual]; exits taken from its answer) and onSalesbotDesignerSave(handler, params) on save, with the settings as strings (or {value_manual}); the bot runs the returned steps (widget_request, goto, conditions on {{json.status}}, the exits handler from Kommo’s example) and fills {{lead.id}} in the request data; the step tile’s logo path /widgets/<widget code>/images/… follows amoCRM’s example (written only when the build is given WIDGET_CODE)',
    where: 'widget/src/reach/salesbot-steps.ts, widget/src/reach/salesbot-designer.ts, widget/manifest.json',
    source: 'https://www.amocrm.ru/developers/content/integrations/salesbot_widget',
  },
  {
    topic: 'bot_run',
    assumption:
      'a Salesbot is started for a lead by POST /api/v2/salesbot/run [{bot_id, entity_id, entity_type: 2}] on amoCRM (entity_type numeric is inferred) and POST /api/v4/bots/{id}/run on Kommo',
    where: 'server/amocrm/endpoints/salesbot.ts (runBot)',
    source: 'https://www.amocrm.ru/developers/content/api/salesbot-api',
  },
];
