import type { Request, Response } from 'express';
import type { Logger } from '../../logging/logger.ts';
import { redactString } from '../../logging/redact.ts';

/** Kept in the response's locals (an object every request has already): a property added to the response itself costs a copy of its property store. */
type Timed = Response & { locals: { requestStartedAt?: number } };

/**
 * One line per request after it finishes. The path is logged without its query (codes, signatures
 * live there). The returned function starts a request's clock and hangs one listener on it that is
 * built once per logger, not per request: a closure per request is garbage on the busiest path.
 */
export function requestLog(logger: Logger): (res: Response) => void {
  function onFinish(this: Timed): void {
    const level = this.statusCode >= 500 ? 'error' : 'http';
    // winston formats (and redacts) before it filters by level: skip the work when nobody listens.
    if (!logger.isLevelEnabled(level)) return;
    const req: Request = this.req;
    const ms = performance.now() - (this.locals.requestStartedAt ?? 0);
    logger.log(level, 'request', {
      requestId: this.locals.requestId,
      method: req.method,
      path: redactString(req.originalUrl.split('?')[0]),
      status: this.statusCode,
      ms: Math.round(ms * 10) / 10,
    });
  }
  return (res: Timed) => {
    res.locals.requestStartedAt = performance.now();
    res.on('finish', onFinish);
  };
}
