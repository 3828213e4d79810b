import type { RequestHandler } from 'express';
import { isAppError } from '../errors/app-error.ts';
import { closedPage } from '../pay-page/pages.ts';
import { pagePaymentOf } from '../pay-page/payment-lookup.ts';
import { frameFor, sendPage } from '../pay-page/page-frame.ts';
import { sendToProvider } from '../pay-page/routes/start-attempt.ts';
import { paymentForInvoice, type PaywallDeps } from './paywall.ts';
import { paidElsewherePage, paywallRefusalPage } from './paywall-pages.ts';

/** amoCRM ids are digits; a method code is "Latin letters, digits and _", at most 50 (the registration form's rule). */
const ID = /^\d{1,15}$/;
const METHOD = /^[A-Za-z0-9_]{1,50}$/;

/**
 * GET /paywall/:accountId/:invoiceId/:methodCode: where amoCRM's invoice page (PayWall) sends a
 * customer who chose one of dramlink's payment methods (docs/architecture.md, Invoices). The method
 * code is the provider's name. The customer goes on to the provider exactly as from the pay page's
 * button; every other outcome is a page in the customer's language. Each visit reads amoCRM, so it
 * counts against the pay page's budget per client and account first.
 */
export function paywallRoute(deps: PaywallDeps): RequestHandler<{ accountId: string; invoiceId: string; methodCode: string }> {
  return async (req, res, next) => {
    const frame = frameFor(req, res);
    const { accountId, invoiceId, methodCode } = req.params;
    if (!ID.test(accountId) || !ID.test(invoiceId) || Number(invoiceId) === 0) return sendPage(res, paywallRefusalPage(frame, 'not_found'));
    if (!METHOD.test(methodCode)) return sendPage(res, paywallRefusalPage(frame, 'method_unavailable'));
    if (deps.limits && !deps.limits.admit(req.ip, Number(accountId))) {
      res.set('Retry-After', String(deps.limits.retryAfterSec()));
      return sendPage(res, { ...paywallRefusalPage(frame, 'unavailable'), status: 429 });
    }
    try {
      const result = await paymentForInvoice(deps, { accountId: Number(accountId), invoiceId: Number(invoiceId), method: methodCode });
      if (result.kind === 'refused') return sendPage(res, paywallRefusalPage(frame, result.refusal));
      if (result.kind === 'paid_elsewhere') return sendPage(res, paidElsewherePage(frame));
      const payment = await pagePaymentOf(deps, result.payment);
      const closed = closedPage(deps, frame, payment);
      if (closed || result.kind === 'closed') return sendPage(res, closed ?? paidElsewherePage(frame));
      await sendToProvider(deps, res, frame, payment, methodCode);
    } catch (err) {
      // A provider whose credentials are incomplete: the invoice's pay page, saying the method cannot be used.
      if (!isAppError(err) || err.status !== 503) return next(err);
      deps.logger.warn('paywall: provider unusable', { accountId, invoiceId, code: err.code });
      sendPage(res, paywallRefusalPage(frame, 'method_unavailable'));
    }
  };
}
