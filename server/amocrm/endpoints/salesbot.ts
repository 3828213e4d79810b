import type { AmocrmRequester } from '../call.ts';

/**
 * Salesbot calls a widget makes (https://www.amocrm.ru/developers/content/digital_pipeline/salesbot,
 * https://www.amocrm.ru/developers/content/api/salesbot-api, https://developers.kommo.com/reference/launch-salesbot).
 * Each lives here once, so a real account that answers otherwise is corrected in one place.
 */

/** What a waiting bot step gets: `data` keys are `{{json.<key>}}` in its later steps. */
export interface BotContinueBody {
  data: Record<string, string | number | boolean | null>;
  execute_handlers?: Array<{ handler: 'show' | 'goto'; params: Record<string, unknown> }>;
}

/**
 * Continues a bot waiting on its `widget_request` step: a POST to the step's return_url
 * (`/api/v4/salesbot/{bot_id}/continue/{continue_id}`, admins only). `path` has been checked to
 * be that shape on the account's own amoCRM host (server/salesbot/return-url.ts). Not idempotent:
 * after a timeout or 5xx the client does not repeat it; the sync job decides.
 */
export async function continueBot(api: AmocrmRequester, path: string, body: BotContinueBody): Promise<void> {
  await api.request({ method: 'POST', path, body: body as unknown as Record<string, unknown>, idempotent: false });
}

/**
 * Starts a bot for a lead. amoCRM: `POST /api/v2/salesbot/run` with `[{bot_id, entity_id, entity_type}]`
 * (entity_type 2 = lead); Kommo: `POST /api/v4/bots/{id}/run` with `{entity_id, entity_type: "leads"}`.
 * Not idempotent (a second run sends a second message): never repeated after an ambiguous failure.
 */
export async function runBot(api: AmocrmRequester, input: { botId: number; leadId: number; kommo: boolean }): Promise<void> {
  if (input.kommo) {
    await api.request({
      method: 'POST',
      path: `/api/v4/bots/${input.botId}/run`,
      body: { entity_id: input.leadId, entity_type: 'leads' },
      idempotent: false,
    });
    return;
  }
  await api.request({
    method: 'POST',
    path: '/api/v2/salesbot/run',
    body: [{ bot_id: input.botId, entity_id: input.leadId, entity_type: 2 }],
    idempotent: false,
  });
}
