import { z } from 'zod';
import type { AmocrmRequester } from '../call.ts';
import { isAmocrmError } from '../errors.ts';
import { parseAnswer } from './parse.ts';

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

/** One user with their rights (`GET /api/v4/users/{id}`); amoCRM lets only an admin's token read it. */
export const userWithRightsSchema = z.looseObject({
  id: z.number().int(),
  name: z.string().optional(),
  rights: z.looseObject({ is_admin: z.boolean() }),
});

export interface UserRights {
  id: number;
  name?: string;
  isAdmin: boolean;
}

/**
 * Whether a user is an account admin, as amoCRM says. A 403 (the token's user may not read users)
 * is the caller's to handle: answer.ts classifies it as a rights error (`amocrm_forbidden`), never a
 * block. An unknown user is null.
 */
export async function getUserRights(api: AmocrmRequester, userId: number): Promise<UserRights | null> {
  let result;
  try {
    result = await api.request<unknown>({ method: 'GET', path: `/api/v4/users/${userId}` });
  } catch (err) {
    if (isAmocrmError(err) && err.code === 'amocrm_not_found') return null;
    throw err;
  }
  if (result.data === undefined) return null;
  const user = parseAnswer(userWithRightsSchema, result.data, `GET /api/v4/users/${userId}`);
  return { id: user.id, ...(user.name ? { name: user.name } : {}), isAdmin: user.rights.is_admin };
}
