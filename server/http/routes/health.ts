import { Router } from 'express';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { secretsKeyReady } from '../../crypto/secrets-check.ts';
import { isDatabaseReady, type DatabaseHandle } from '../../db/database.ts';

/**
 * /healthz: the process answers. /readyz: the database answers, every migration is applied, and the
 * running SECRETS_KEY opens the check value stored in it.
 */
export function healthRoutes(dbHandle: DatabaseHandle, secretBox: SecretBox): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', (_req, res) => {
    if (!isDatabaseReady(dbHandle)) {
      return res
        .status(503)
        .json({ error: { code: 'not_ready', message: 'The database is not reachable or migrations are not applied.' } });
    }
    if (!secretsKeyReady(dbHandle.db, secretBox)) {
      return res.status(503).json({
        error: { code: 'secrets_key_mismatch', message: 'SECRETS_KEY does not open the check value stored in the database.' },
      });
    }
    res.json({ status: 'ready' });
  });
  return router;
}
