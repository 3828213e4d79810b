import { z } from 'zod';
import type { AmocrmRequester } from '../call.ts';
import { parseAnswer } from './parse.ts';

/**
 * Lead notes (amoCRM API v4, https://www.amocrm.ru/developers/content/crm_platform/events-and-notes):
 * dramlink writes `service_message` notes and, after an ambiguous failure, reads them back to find its marker.
 */

/** One item of `POST /api/v4/leads/notes`. */
export const noteItemSchema = z.object({
  entity_id: z.number().int(),
  note_type: z.literal('service_message'),
  params: z.object({ service: z.string(), text: z.string() }),
  request_id: z.string(),
});
export type NoteItem = z.infer<typeof noteItemSchema>;

const notesPageSchema = z.looseObject({
  _embedded: z.looseObject({ notes: z.array(z.looseObject({ params: z.unknown().optional() })) }).optional(),
  _links: z.looseObject({ next: z.unknown().optional() }).optional(),
});

/** A note's `params.text`; params may be anything (PHP sends an empty object as `[]`). */
function textOf(params: unknown): string {
  const text = params && typeof params === 'object' ? (params as { text?: unknown }).text : undefined;
  return typeof text === 'string' ? text : '';
}

export interface TextPage {
  texts: string[];
  hasNext: boolean;
}

/** Not idempotent: after a timeout or 5xx the client does not repeat it; the next try looks first. */
export async function addLeadNotes(api: AmocrmRequester, items: NoteItem[]): Promise<void> {
  await api.request({ method: 'POST', path: '/api/v4/leads/notes', body: items, idempotent: false });
}

/** One page of the service notes of these leads (at most 50 per call), newest first: their texts. */
export async function serviceNoteTexts(api: AmocrmRequester, leadIds: number[], page: number): Promise<TextPage> {
  const res = await api.request<unknown>({
    method: 'GET',
    path: '/api/v4/leads/notes',
    query: { 'filter[entity_id][]': leadIds, 'filter[note_type][]': ['service_message'], 'order[id]': 'desc', limit: 250, page },
  });
  if (res.data === undefined) return { texts: [], hasNext: false };
  const data = parseAnswer(notesPageSchema, res.data, 'GET /api/v4/leads/notes');
  return {
    texts: (data._embedded?.notes ?? []).map((n) => textOf(n.params)),
    hasNext: Boolean(data._links?.next),
  };
}
