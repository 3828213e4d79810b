import type { Router } from 'express';
import { authOf } from '../auth/middleware.ts';
import type { WidgetApiDeps } from '../deps.ts';
import { listExceptions } from '../views/exceptions.ts';
import { readerStrings } from '../views/reader-strings.ts';

/**
 * GET /exceptions[?lang=ru|en|es|pt]: everything in the account that needs a person, each with what
 * happened and what to do, in the reader's language (else the account's).
 */
export function listExceptionsRoute(router: Router, deps: WidgetApiDeps): void {
  router.get('/exceptions', deps.auth, async (req, res) => {
    const { account } = authOf(res).account;
    const strings = readerStrings(req, account);
    res.json({ exceptions: await deps.services.store.run((tx) => listExceptions(tx, account, { strings })) });
  });
}
