import { Router } from 'express';
import type { Metrics } from '../../metrics/metrics.ts';

/** GET /metrics: Prometheus text. Bind the server to loopback or protect this path at the proxy. */
export function metricsRoutes(metrics: Metrics): Router {
  const router = Router();
  router.get('/metrics', async (_req, res, next) => {
    try {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    } catch (err) {
      next(err);
    }
  });
  return router;
}
