import express, { Router, type RequestHandler } from 'express';
import type { PayPageDeps } from '../../pay-page/deps.ts';
import { frameFor, sendPage } from '../../pay-page/page-frame.ts';
import { statePage } from '../../pay-page/templates.ts';
import { providerReturn } from '../../pay-page/routes/provider-return.ts';
import { showPayment } from '../../pay-page/routes/show-payment.ts';
import { qrCode } from '../../pay-page/routes/qr-code.ts';
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
  router.post('/pay/:token', withinBudget(deps), startAttempt(deps));
  router.get('/pay/:token/return', showReturn(deps));
  router.get('/pay/:token/qr.svg', qrCode(deps, 'svg'));
  router.get('/pay/:token/qr.png', qrCode(deps, 'png'));
  // Idram's and Telcell's fixed return URLs (Settings.providerUrls), GET or a posted form.
  router.all('/pay/return/:provider/:accountId', providerReturn(deps));
  router.all('/pay/return/:provider/:accountId/:outcome', providerReturn(deps));
  return router;
}

/**
 * Opening a provider session costs a call to the bank: a client past its budget gets a page
 * saying to try again shortly (429), and nothing is opened.
 */
function withinBudget(deps: PayPageDeps): RequestHandler {
  return (req, res, next) => {
    if (!deps.limits || deps.limits.admit(req.ip)) return next();
    const frame = frameFor(req, res);
    res.set('Retry-After', String(deps.limits.retryAfterSec()));
    sendPage(res, {
      status: 429,
      html: statePage(frame, null, { icon: '…', cls: 'warn', title: frame.t.providerError, hint: frame.t.providerErrorHint }),
    });
  };
}
