import type { Request, Response } from 'express';
import type { Logger } from '../../logging/logger.ts';
import { redactString } from '../../logging/redact.ts';

/** One line per request after it finishes. The path is logged without its query (codes, signatures live there). */
export function logWhenFinished(logger: Logger, req: Request, res: Response): void {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const level = res.statusCode >= 500 ? 'error' : 'http';
    // winston formats (and redacts) before it filters by level: skip the work when nobody listens.
    if (!logger.isLevelEnabled(level)) return;
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    logger.log(level, 'request', {
      requestId: res.locals.requestId,
      method: req.method,
      path: redactString(req.originalUrl.split('?')[0]),
      status: res.statusCode,
      ms: Math.round(ms * 10) / 10,
    });
  });
}
