import { z } from 'zod';
import type { AmocrmRequester } from '../call.ts';

/**
 * Users (amoCRM API v4, https://www.amocrm.ru/developers/content/crm_platform/users-api): names for
 * notes, and the installing admin's interface language (`lang`) for the account's language.
 */

const usersSchema = z.looseObject({
  _embedded: z.looseObject({
    users: z.array(z.looseObject({ id: z.number().int(), name: z.string(), lang: z.string().nullish() })),
  }),
});

export interface User {
  id: number;
  name: string;
  lang?: string;
}

/** The account's users (first 250). An answer in another shape gives no names rather than an error: a name is a nicety. */
export async function listUsers(api: AmocrmRequester): Promise<User[]> {
  const result = await api.request<unknown>({ method: 'GET', path: '/api/v4/users', query: { limit: 250 } });
  const parsed = result.data === undefined ? undefined : usersSchema.safeParse(result.data);
  return parsed?.success ? parsed.data._embedded.users.map((u) => ({ id: u.id, name: u.name, ...(u.lang ? { lang: u.lang } : {}) })) : [];
}
