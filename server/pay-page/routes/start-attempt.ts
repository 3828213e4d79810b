import type { Request, RequestHandler, Response } from 'express';
import { isAppError } from '../../errors/app-error.ts';
import { startSession } from '../../payments/start-session.ts';
import { rememberAttempt } from '../attempt-cookie.ts';
import type { PayPageDeps } from '../deps.ts';
import { frameFor, sendPage } from '../page-frame.ts';
import { choicePage, closedPage, notFoundPage } from '../pages.ts';
import { offeredProviders, paymentByToken, type PagePayment } from '../payment-lookup.ts';
import type { PayLanguage } from '../strings.ts';
import { autoPostPage, type PageFrame } from '../templates.ts';

/**
 * POST /pay/:token with the chosen provider: opens (or reuses) an attempt and sends the customer to
 * the provider, by redirect or by an auto-posted form (Idram, Telcell). Any failure is a page for
 * the customer, never JSON.
 */
export function startAttempt(deps: PayPageDeps): RequestHandler<{ token: string }> {
  return async (req, res, next) => {
    try {
      await choose(deps, req, res);
    } catch (err) {
      const p = isAppError(err) && err.status === 409 ? await paymentByToken(deps, req.params.token) : undefined;
      if (!p) return next(err);
      // Paid, expired or cancelled between the page and the click: show the page for that state.
      const frame = frameFor(req, res);
      const closed = closedPage(deps, frame, p);
      if (closed) return sendPage(res, closed);
      // The provider cannot be used (credentials incomplete): the customer sees a page, not JSON.
      deps.logger.warn('pay page: provider unusable', { paymentId: p.id, code: (err as { code?: string }).code });
      sendPage(res, choicePage(deps, frame, p, 503, true));
    }
  };
}

async function choose(deps: PayPageDeps, req: Request<{ token: string }>, res: Response): Promise<void> {
  const p = await paymentByToken(deps, req.params.token);
  const frame = frameFor(req, res);
  if (!p) return sendPage(res, notFoundPage(frame));
  const closed = closedPage(deps, frame, p);
  if (closed) return sendPage(res, closed);
  const provider = typeof req.body?.provider === 'string' ? req.body.provider : '';
  if (!offeredProviders(deps, p).includes(provider)) return sendPage(res, choicePage(deps, frame, p, 400, true));
  await sendToProvider(deps, res, frame, p, provider);
}

/**
 * Opens (or reuses) the attempt and sends the customer on to the provider: a 303, or the provider's
 * form posted by script. A provider that refused the session: the choice page, saying so. Also how
 * amoCRM's invoice page hands a customer over (server/invoices/paywall-route.ts).
 */
export async function sendToProvider(deps: PayPageDeps, res: Response, frame: PageFrame, p: PagePayment, provider: string): Promise<void> {
  const result = await startSession(deps, {
    paymentId: p.id,
    provider,
    language: frame.lang as PayLanguage,
    description: p.description ?? `${p.merchant} #${p.leadId}`,
  });
  if (result.kind === 'provider_error') return sendPage(res, choicePage(deps, frame, p, 502, true));
  // Idram comes back to a fixed URL with a guessable bill number: this browser proves it is the payer's.
  rememberAttempt(res, result.attemptId, deps.publicUrl);
  if (result.redirect.method === 'GET') return res.redirect(303, result.redirect.url);
  res.type('html').send(autoPostPage(frame, result.redirect.url, result.redirect.form));
}
