import { z } from 'zod';
import type { AmocrmRequester } from '../call.ts';
import { isAmocrmError } from '../errors.ts';
import { parseAnswer } from './parse.ts';

/**
 * Leads (amoCRM API v4, https://www.amocrm.ru/developers/content/crm_platform/leads-api):
 * `GET /api/v4/leads/{id}` for the price, `PATCH /api/v4/leads` for the dramlink fields and stage.
 */

export const leadSchema = z.looseObject({
  id: z.number(),
  /** Major units; an integer on amoCRM, possibly a fraction (or a string) on Kommo. */
  price: z.union([z.number(), z.string()]).nullable().optional(),
  is_deleted: z.boolean().optional(),
});
export type Lead = z.infer<typeof leadSchema>;

const fieldValueSchema = z.object({
  field_id: z.number().int().optional(),
  field_code: z.string().optional(),
  /** null clears the field. */
  values: z.array(z.record(z.string(), z.unknown())).nullable(),
});

/** One item of `PATCH /api/v4/leads` (the request body is an array of these). */
export const leadPatchItemSchema = z.object({
  id: z.number().int(),
  pipeline_id: z.number().int().optional(),
  status_id: z.number().int().optional(),
  custom_fields_values: z.array(fieldValueSchema),
  request_id: z.string().optional(),
});
export type LeadPatchItem = z.infer<typeof leadPatchItemSchema>;

/** The lead, or null when amoCRM does not have it in this account (404, or 204 with no body). */
export async function getLead(api: AmocrmRequester, leadId: number): Promise<Lead | null> {
  let result;
  try {
    result = await api.request<unknown>({ method: 'GET', path: `/api/v4/leads/${leadId}` });
  } catch (err) {
    if (isAmocrmError(err) && err.code === 'amocrm_not_found') return null;
    throw err;
  }
  if (result.status === 204 || result.data === undefined) return null;
  return parseAnswer(leadSchema, result.data, `GET /api/v4/leads/${leadId}`);
}

/** One batch of lead updates. Idempotent (the same values again change nothing), so retried after a timeout. */
export async function patchLeads(api: AmocrmRequester, items: LeadPatchItem[]): Promise<void> {
  await api.request({ method: 'PATCH', path: '/api/v4/leads', body: items });
}

const leadsPageSchema = z.looseObject({ _embedded: z.looseObject({ leads: z.array(leadSchema) }).optional() });

/**
 * Up to 250 leads by id in one request (`GET /api/v4/leads?filter[id][]=…`): what a bulk run or the
 * automation's queue reads at once. Leads amoCRM does not list (deleted, another account's) are absent.
 */
export async function listLeads(api: AmocrmRequester, ids: number[]): Promise<Lead[]> {
  if (ids.length === 0) return [];
  if (ids.length > 250) throw new RangeError('at most 250 leads per request');
  const result = await api.request<unknown>({ method: 'GET', path: '/api/v4/leads', query: { 'filter[id][]': ids, limit: 250 } });
  if (result.status === 204 || result.data === undefined) return [];
  return parseAnswer(leadsPageSchema, result.data, 'GET /api/v4/leads')._embedded?.leads ?? [];
}
