import { z } from 'zod';
import type { AmocrmRequester } from '../call.ts';
import { parseAnswer } from './parse.ts';

/** The account itself (amoCRM API v4, https://www.amocrm.ru/developers/content/crm_platform/account-info): read once at install. */

export const amoAccountSchema = z.looseObject({
  id: z.number().int().positive(),
  name: z.string().optional(),
  subdomain: z.string().optional(),
  /** The user whose token this is: at install, the admin who installed. */
  current_user_id: z.number().int().positive().optional(),
});
export type AmoAccount = z.infer<typeof amoAccountSchema>;

export async function getAccount(api: AmocrmRequester): Promise<AmoAccount> {
  const res = await api.request<unknown>({ method: 'GET', path: '/api/v4/account' });
  return parseAnswer(amoAccountSchema, res.data, 'GET /api/v4/account');
}
