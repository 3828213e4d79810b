import { Router, type Request } from 'express';
import { safeEqual } from '../../crypto/hmac.ts';
import type { Metrics } from '../../metrics/metrics.ts';
import { sendError } from '../middleware/errors.ts';

export interface MetricsAccess {
  /** METRICS_TOKEN: when set, a scrape must send `Authorization: Bearer <token>`. */
  token?: string;
  /** Without a token: production refuses the scrape unless METRICS_PUBLIC=true; development serves it. */
  openWithoutToken: boolean;
}

/**
 * GET /metrics: Prometheus text, for the monitoring only. With METRICS_TOKEN the bearer token is
 * compared in constant time (401 otherwise); in production without one it answers 403 unless the
 * operator said METRICS_PUBLIC=true (it is behind a network rule of theirs).
 */
export function metricsRoutes(metrics: Metrics, access: MetricsAccess): Router {
  const router = Router();
  router.get('/metrics', async (req, res, next) => {
    if (access.token !== undefined && !bearerMatches(req, access.token)) {
      res.set('WWW-Authenticate', 'Bearer realm="dramlink metrics"');
      return sendError(res, 401, 'metrics_unauthorized', 'Send Authorization: Bearer <METRICS_TOKEN>.');
    }
    if (access.token === undefined && !access.openWithoutToken) {
      return sendError(res, 403, 'metrics_disabled', 'Set METRICS_TOKEN (and scrape with it as a bearer token), or METRICS_PUBLIC=true.');
    }
    try {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    } catch (err) {
      next(err);
    }
  });
  return router;
}

function bearerMatches(req: Request, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return match !== null && safeEqual(match[1], token);
}
