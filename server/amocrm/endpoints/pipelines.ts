import { z } from 'zod';
import type { AmocrmRequester } from '../call.ts';
import { parseAnswer } from './parse.ts';

/** Lead pipelines (amoCRM API v4, https://www.amocrm.ru/developers/content/crm_platform/leads_pipelines): stages for the stage mapping. */

const pipelinesSchema = z.looseObject({
  _embedded: z.looseObject({
    pipelines: z.array(
      z.looseObject({
        id: z.number().int(),
        name: z.string(),
        _embedded: z.looseObject({ statuses: z.array(z.looseObject({ id: z.number().int(), name: z.string() })) }).optional(),
      }),
    ),
  }),
});

export interface Pipeline {
  id: number;
  name: string;
  statuses: Array<{ id: number; name: string }>;
}

export async function listPipelines(api: AmocrmRequester): Promise<Pipeline[]> {
  const result = await api.request<unknown>({ method: 'GET', path: '/api/v4/leads/pipelines' });
  if (result.data === undefined) return [];
  const data = parseAnswer(pipelinesSchema, result.data, 'GET /api/v4/leads/pipelines');
  return data._embedded.pipelines.map((p) => ({
    id: p.id,
    name: p.name,
    statuses: (p._embedded?.statuses ?? []).map((s) => ({ id: s.id, name: s.name })),
  }));
}
