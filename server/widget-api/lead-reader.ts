import { z } from 'zod';
import { AppError } from '../errors/app-error.ts';

/**
 * What the widget API reads from amoCRM, kept to a small interface so the routes do not depend on
 * the client's shape (and tests can swap it at the composition point).
 */
export interface LeadReader {
  /** The lead's `price` as amoCRM stores it (major units, possibly fractional on Kommo); null when the lead does not exist in this account. */
  leadPrice(accountId: number, leadId: number): Promise<number | string | null>;
  /** The account's lead pipelines and their status ids (for the stage mapping). */
  pipelines(accountId: number): Promise<Pipeline[]>;
  /** The account's users by id, so notes can name the manager (the disposable token carries only an id). */
  userNames?(accountId: number): Promise<Map<number, string>>;
}

export interface Pipeline {
  id: number;
  name: string;
  statuses: Array<{ id: number; name: string }>;
}

/** The part of AppServices.amocrm.client this needs (structural, so any client with `request` fits). */
export interface AmocrmRequester {
  request<T = unknown>(
    accountId: number,
    call: { method: 'GET'; path: string; query?: Record<string, string | number | boolean | undefined> },
  ): Promise<{ status: number; data: T | undefined }>;
}

const leadSchema = z.looseObject({
  id: z.number(),
  price: z.union([z.number(), z.string()]).nullable().optional(),
  is_deleted: z.boolean().optional(),
});

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

const usersSchema = z.looseObject({
  _embedded: z.looseObject({ users: z.array(z.looseObject({ id: z.number().int(), name: z.string() })) }),
});

function isNotFound(err: unknown): boolean {
  return err instanceof AppError && err.code === 'amocrm_not_found';
}

/** amoCRM API v4 through the project's client (rate budget, token refresh, retries, account guard). */
export function createAmocrmLeadReader(client: AmocrmRequester): LeadReader {
  return {
    async leadPrice(accountId, leadId) {
      let result;
      try {
        result = await client.request<unknown>(accountId, { method: 'GET', path: `/api/v4/leads/${leadId}` });
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
      // amoCRM answers 204 (no body) for what it does not have.
      if (result.status === 204 || result.data === undefined) return null;
      const lead = leadSchema.safeParse(result.data);
      if (!lead.success) throw new AppError('amocrm_bad_response', 502, `amoCRM answered GET /api/v4/leads/${leadId} in an unknown shape.`);
      if (lead.data.is_deleted) return null;
      return lead.data.price ?? 0;
    },

    async userNames(accountId) {
      const result = await client.request<unknown>(accountId, { method: 'GET', path: '/api/v4/users', query: { limit: 250 } });
      const parsed = result.data === undefined ? undefined : usersSchema.safeParse(result.data);
      return new Map(parsed?.success ? parsed.data._embedded.users.map((u) => [u.id, u.name] as const) : []);
    },

    async pipelines(accountId) {
      const result = await client.request<unknown>(accountId, { method: 'GET', path: '/api/v4/leads/pipelines' });
      if (result.data === undefined) return [];
      const parsed = pipelinesSchema.safeParse(result.data);
      if (!parsed.success)
        throw new AppError('amocrm_bad_response', 502, 'amoCRM answered GET /api/v4/leads/pipelines in an unknown shape.');
      return parsed.data._embedded.pipelines.map((p) => ({
        id: p.id,
        name: p.name,
        statuses: (p._embedded?.statuses ?? []).map((s) => ({ id: s.id, name: s.name })),
      }));
    },
  };
}
