import { Router } from 'express';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { secretsKeyReady } from '../../crypto/secrets-check.ts';
import type { Store } from '../../db/store.ts';

/**
 * /healthz: the process answers. /readyz: the database answers, every migration is applied, and the
 * running SECRETS_KEY opens the check value stored in it. A load balancer sends traffic to an
 * instance while its /readyz answers 200 (README, Running several instances).
 */
export function healthRoutes(store: Store, secretBox: SecretBox): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (!(await store.ready())) {
      return res
        .status(503)
        .json({ error: { code: 'not_ready', message: 'The database is not reachable or migrations are not applied.' } });
    }
    if (!(await secretsKeyReady(store, secretBox))) {
      return res.status(503).json({
        error: { code: 'secrets_key_mismatch', message: 'SECRETS_KEY does not open the check value stored in the database.' },
      });
    }
    res.json({ status: 'ready' });
  });
  return router;
}
