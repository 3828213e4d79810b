import { MAX_BATCH } from './defaults.ts';
import { problem, type Reply } from './reply.ts';

/**
 * The body of a batch write: an array of 1..250 items (amoCRM's cap, Confirmations 2).
 * Returns the items or the 400 to answer.
 */
export function batchBody(body: unknown): { items: unknown[] } | { reply: Reply } {
  if (!Array.isArray(body)) return { reply: problem(400, 'Request body must be an array of entities') };
  if (body.length === 0) return { reply: problem(400, 'Request body is empty') };
  if (body.length > MAX_BATCH) {
    return { reply: problem(400, `Too many entities in one request: ${body.length}, at most ${MAX_BATCH}`) };
  }
  return { items: body };
}
