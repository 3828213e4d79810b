import { Router } from 'express';
import { paywallRoute } from '../../invoices/paywall-route.ts';
import type { PaywallDeps } from '../../invoices/paywall.ts';

/** amoCRM's invoice page (PayWall) hands customers over here (docs/architecture.md, Invoices). */
export function paywallRoutes(deps: PaywallDeps): Router {
  const router = Router();
  router.get('/paywall/:accountId/:invoiceId/:methodCode', paywallRoute(deps));
  return router;
}
