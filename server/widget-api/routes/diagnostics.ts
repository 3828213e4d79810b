import type { Router } from 'express';
import { runDiagnostics } from '../../diagnostics/run-diagnostics.ts';
import { authOf } from '../auth/middleware.ts';
import type { WidgetApiDeps } from '../deps.ts';

/**
 * GET /diagnostics (admins only): what `npm run doctor` checks for this account, changing nothing:
 * `{"checks":[{"name","ok","detail","fix"?}]}` with stable names (tokens, lead_fields,
 * stage_mapping, installer_rights, rate_budget, provider:<name>, token_claims).
 */
export function diagnosticsRoute(router: Router, deps: WidgetApiDeps): void {
  router.get('/diagnostics', deps.auth, deps.admin, async (_req, res) => {
    const auth = authOf(res);
    res.json({ checks: await runDiagnostics(deps.services, auth.account.account) });
  });
}
