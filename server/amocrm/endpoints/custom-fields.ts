import { z } from 'zod';
import type { AmocrmRequester } from '../call.ts';
import { MAX_PAGES, parseAnswer } from './parse.ts';

/**
 * Lead custom fields (amoCRM API v4, https://www.amocrm.ru/developers/content/crm_platform/custom-fields):
 * the dramlink fields are found by `code`, and created (API-only) when missing.
 */

export const customFieldSchema = z.looseObject({
  id: z.number().int(),
  name: z.string().optional(),
  code: z.string().nullish(),
  type: z.string(),
  enums: z
    .array(z.looseObject({ id: z.number().int(), value: z.string(), sort: z.number().int().nullish(), code: z.string().nullish() }))
    .nullish(),
});
export type CustomField = z.infer<typeof customFieldSchema>;

/** One item of `POST /api/v4/leads/custom_fields`. */
export const newCustomFieldSchema = z.object({
  type: z.string(),
  name: z.string(),
  code: z.string(),
  is_api_only: z.boolean(),
  sort: z.number().int(),
  enums: z.array(z.object({ value: z.string(), sort: z.number().int(), code: z.string() })).optional(),
});
export type NewCustomField = z.infer<typeof newCustomFieldSchema>;

const fieldsPageSchema = z.looseObject({
  _embedded: z.looseObject({ custom_fields: z.array(customFieldSchema) }).optional(),
  _links: z.looseObject({ next: z.unknown().optional() }).optional(),
});

/** Every lead field of the account, page by page. */
export async function listLeadFields(api: AmocrmRequester): Promise<CustomField[]> {
  const all: CustomField[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const res = await api.request<unknown>({ method: 'GET', path: '/api/v4/leads/custom_fields', query: { limit: 250, page } });
    if (res.status === 204 || res.data === undefined) break;
    const data = parseAnswer(fieldsPageSchema, res.data, 'GET /api/v4/leads/custom_fields');
    const batch = data._embedded?.custom_fields ?? [];
    all.push(...batch);
    if (!data._links?.next || batch.length === 0) break;
  }
  return all;
}

/** Creates lead fields; returns what amoCRM created. Creating one twice would duplicate it, so this is retried only when nothing was applied. */
export async function createLeadFields(api: AmocrmRequester, fields: NewCustomField[]): Promise<CustomField[]> {
  const res = await api.request<unknown>({ method: 'POST', path: '/api/v4/leads/custom_fields', idempotent: false, body: fields });
  if (res.data === undefined) return [];
  return parseAnswer(fieldsPageSchema, res.data, 'POST /api/v4/leads/custom_fields')._embedded?.custom_fields ?? [];
}

/** One item of `PATCH /api/v4/leads/custom_fields`: a new name and, for a select, every option (an option left out is deleted). */
export interface CustomFieldUpdate {
  id: number;
  name?: string;
  enums?: Array<{ id: number; value: string; sort: number; code?: string }>;
}

/** Renames lead fields and relabels their options (codes unchanged). Idempotent: sending the same labels twice changes nothing. */
export async function updateLeadFields(api: AmocrmRequester, fields: CustomFieldUpdate[]): Promise<void> {
  await api.request<unknown>({ method: 'PATCH', path: '/api/v4/leads/custom_fields', body: fields });
}
