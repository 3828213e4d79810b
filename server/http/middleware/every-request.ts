import type { RequestHandler } from 'express';
import type { Logger } from '../../logging/logger.ts';
import { assignRequestId } from './request-id.ts';
import { requestLog } from './request-log.ts';
import { applySecurityHeaders } from './security-headers.ts';

/**
 * What every request gets, in one router layer: its id (request-id.ts), the security headers
 * (security-headers.ts) and its log line (request-log.ts). One layer instead of three: the router
 * allocates a match and a callback per layer it walks, on every request, notifications included.
 */
export function everyRequest(logger: Logger): RequestHandler {
  const logWhenFinished = requestLog(logger);
  return (req, res, next) => {
    assignRequestId(req, res);
    applySecurityHeaders(res);
    logWhenFinished(res);
    next();
  };
}
