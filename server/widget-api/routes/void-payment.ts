import type { Router } from 'express';
import type { WidgetApiDeps } from '../deps.ts';
import { moveHeldFunds } from '../hold-route.ts';

/** POST /payments/:id/void (admins only): releases the funds a two-stage provider holds (hold-route.ts). */
export function voidPaymentRoute(router: Router, deps: WidgetApiDeps): void {
  router.post('/payments/:id/void', deps.auth, deps.admin, (req, res) => moveHeldFunds(deps, 'void', req, res));
}
