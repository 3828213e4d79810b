import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';

/** Every request gets an id (a sane incoming X-Request-Id is kept), echoed back and put on the logs. */
export function assignRequestId(req: Request, res: Response): void {
  const incoming = req.get('x-request-id');
  const id = incoming && /^[A-Za-z0-9._-]{1,100}$/.test(incoming) ? incoming : randomUUID();
  res.locals.requestId = id;
  res.setHeader('X-Request-Id', id);
}
