import type { Request, Response } from 'express';
import type { Logger } from '../../logging/logger.ts';
import { redactString } from '../../logging/redact.ts';

const STARTED = Symbol('request started');
type Timed = Response & { [STARTED]?: number };

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
    const ms = performance.now() - (this[STARTED] ?? 0);
    logger.log(level, 'request', {
      requestId: this.locals.requestId,
      method: req.method,
      path: redactString(req.originalUrl.split('?')[0]),
      status: this.statusCode,
      ms: Math.round(ms * 10) / 10,
    });
  }
  return (res: Timed) => {
    res[STARTED] = performance.now();
    res.on('finish', onFinish);
  };
}
