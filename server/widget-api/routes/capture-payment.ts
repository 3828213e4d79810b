import type { Router } from 'express';
import type { WidgetApiDeps } from '../deps.ts';
import { moveHeldFunds } from '../hold-route.ts';

/** POST /payments/:id/capture (admins only): takes the funds a two-stage provider holds (hold-route.ts). */
export function capturePaymentRoute(router: Router, deps: WidgetApiDeps): void {
  router.post('/payments/:id/capture', deps.auth, deps.admin, (req, res) => moveHeldFunds(deps, 'capture', req, res));
}
