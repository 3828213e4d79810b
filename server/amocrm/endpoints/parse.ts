import type { z } from 'zod';
import { AmocrmError } from '../errors.ts';

/** amoCRM's answer read through its schema; a shape we do not know is a typed error, never a guess. */
export function parseAnswer<S extends z.ZodType>(schema: S, data: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new AmocrmError('amocrm_bad_response', `amoCRM answered ${what} in an unknown shape.`);
  return parsed.data;
}

/** How many pages a list read follows at most (amoCRM pages hold up to 250 items). */
export const MAX_PAGES = 20;
