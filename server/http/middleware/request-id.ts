import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

/** Every request gets an id (a sane incoming X-Request-Id is kept), echoed back and put on the logs. */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const id = incoming && /^[A-Za-z0-9._-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    next();
  };
}
