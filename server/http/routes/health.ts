import { Router } from 'express';
import { isDatabaseReady, type DatabaseHandle } from '../../db/database.ts';

/** /healthz: the process answers. /readyz: the database answers and every migration is applied. */
export function healthRoutes(dbHandle: DatabaseHandle): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', (_req, res) => {
    if (isDatabaseReady(dbHandle)) return res.json({ status: 'ready' });
    res.status(503).json({ error: { code: 'not_ready', message: 'The database is not reachable or migrations are not applied.' } });
  });
  return router;
}
