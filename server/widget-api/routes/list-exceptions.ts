import type { Router } from 'express';
import { authOf } from '../auth/middleware.ts';
import type { WidgetApiDeps } from '../deps.ts';
import { listExceptions } from '../views/exceptions.ts';

/** GET /exceptions: everything in the account that needs a person, each with what happened and what to do. */
export function listExceptionsRoute(router: Router, deps: WidgetApiDeps): void {
  router.get('/exceptions', deps.auth, async (_req, res) => {
    res.json({ exceptions: await deps.services.store.run((tx) => listExceptions(tx, authOf(res).account.account)) });
  });
}
