import express, { Router } from 'express';
import type { PayPageDeps } from '../../pay-page/deps.ts';
import { providerReturn } from '../../pay-page/routes/provider-return.ts';
import { showPayment } from '../../pay-page/routes/show-payment.ts';
import { showReturn } from '../../pay-page/routes/show-return.ts';
import { startAttempt } from '../../pay-page/routes/start-attempt.ts';

/**
 * The customer's side of a payment link (docs/architecture.md, "3 Customer pays"): the page, the
 * provider choice, and the page providers send the customer back to. Form posts are tiny.
 */
export function payRoutes(deps: PayPageDeps): Router {
  const router = Router();
  router.use('/pay', express.urlencoded({ extended: false, limit: '4kb' }));
  router.get('/pay/:token', showPayment(deps));
  router.post('/pay/:token', startAttempt(deps));
  router.get('/pay/:token/return', showReturn(deps));
  // Idram's and Telcell's fixed return URLs (Settings.providerUrls), GET or a posted form.
  router.all('/pay/return/:provider/:accountId', providerReturn(deps));
  router.all('/pay/return/:provider/:accountId/:outcome', providerReturn(deps));
  return router;
}
