import { z } from 'zod';
import type { AmocrmRequester } from '../call.ts';
import type { TextPage } from './notes.ts';
import { parseAnswer } from './parse.ts';

/** Tasks (amoCRM API v4, https://www.amocrm.ru/developers/content/crm_platform/tasks-api): one per exception, on its lead. */

/** One item of `POST /api/v4/tasks`. */
export const taskItemSchema = z.object({
  text: z.string(),
  /** Unix seconds. */
  complete_till: z.number().int(),
  entity_type: z.literal('leads'),
  entity_id: z.number().int(),
  task_type_id: z.number().int(),
  responsible_user_id: z.number().int().optional(),
  request_id: z.string(),
});
export type TaskItem = z.infer<typeof taskItemSchema>;

const tasksPageSchema = z.looseObject({
  _embedded: z.looseObject({ tasks: z.array(z.looseObject({ text: z.unknown().optional() })) }).optional(),
  _links: z.looseObject({ next: z.unknown().optional() }).optional(),
});

/** Not idempotent: after a timeout or 5xx the client does not repeat it; the next try looks first. */
export async function addTasks(api: AmocrmRequester, items: TaskItem[]): Promise<void> {
  await api.request({ method: 'POST', path: '/api/v4/tasks', body: items, idempotent: false });
}

/** One page of the tasks of these leads (at most 50 per call), newest first: their texts. */
export async function leadTaskTexts(api: AmocrmRequester, leadIds: number[], page: number): Promise<TextPage> {
  const res = await api.request<unknown>({
    method: 'GET',
    path: '/api/v4/tasks',
    query: { 'filter[entity_type]': 'leads', 'filter[entity_id][]': leadIds, 'order[id]': 'desc', limit: 250, page },
  });
  if (res.data === undefined) return { texts: [], hasNext: false };
  const data = parseAnswer(tasksPageSchema, res.data, 'GET /api/v4/tasks');
  return {
    texts: (data._embedded?.tasks ?? []).map((t) => (typeof t.text === 'string' ? t.text : '')),
    hasNext: Boolean(data._links?.next),
  };
}
