import express, { Router, type Request, type Response } from 'express';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { isMoneyTaken, isPayable } from '../../../shared/status.ts';
import { accounts, payments } from '../../db/schema.ts';
import { isAppError } from '../../errors/app-error.ts';
import { loadAttempts } from '../../payments/load-payment.ts';
import type { PaymentRow } from '../../payments/payment-state.ts';
import { startSession } from '../../payments/start-session.ts';
import { verifyAttempt, type VerifyDeps } from '../../payments/verify-attempt.ts';
import { autoPostPage, choosePage, statePage, type PageFrame, type PayView } from '../../pay-page/templates.ts';
import { pickLanguage, STRINGS, type PayLanguage } from '../../pay-page/strings.ts';

function frameFor(req: Request, res: Response, extra: Partial<PageFrame> = {}): PageFrame {
  const lang = pickLanguage(req.query.lang, req.get('accept-language'));
  const nonce = randomBytes(16).toString('base64');
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; form-action *; base-uri 'none'; frame-ancestors 'none'`,
  );
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  return { lang, t: STRINGS[lang], title: STRINGS[lang].title, nonce, ...extra };
}

function merchantName(deps: VerifyDeps, accountId: number): string {
  const acc = deps.db
    .select({ name: accounts.name, settings: accounts.settings, subdomain: accounts.subdomain })
    .from(accounts)
    .where(eq(accounts.id, accountId))
    .get();
  if (!acc) return '';
  const settings = JSON.parse(acc.settings) as { merchantName?: string };
  return settings.merchantName ?? acc.name ?? acc.subdomain;
}

function viewOf(deps: VerifyDeps, p: PaymentRow): PayView {
  return {
    merchant: merchantName(deps, p.accountId),
    amountMinor: p.amountMinor,
    currency: p.currency,
    description: p.description,
    expiresAt: p.expiresAt,
    paidAt: p.paidAt,
  };
}

/**
 * The customer's side (flow 3): `/pay/:token` shows what is paid and one button per provider;
 * a paid link says so and opens no new session; the return page verifies before it shows anything.
 */
export function payRoutes(deps: VerifyDeps & { publicUrl: string }): Router {
  const router = Router();
  router.use('/pay', express.urlencoded({ extended: false, limit: '4kb' }));

  const byToken = (token: string) =>
    /^[A-Za-z0-9_-]{16,64}$/.test(token) ? deps.db.select().from(payments).where(eq(payments.linkToken, token)).get() : undefined;

  const offered = (p: PaymentRow): string[] => {
    const enabled = new Set(deps.providers.enabledNames(p.accountId));
    return (JSON.parse(p.providers) as string[]).filter((name) => enabled.has(name as never));
  };

  /** The page for a payment that cannot be paid now, or undefined when it can. */
  const closedPage = (frame: PageFrame, p: PaymentRow): { status: number; html: string } | undefined => {
    const t = frame.t;
    const view = viewOf(deps, p);
    if (isMoneyTaken(p.status))
      return { status: 200, html: statePage(frame, view, { icon: '✓', cls: 'ok', title: t.alreadyPaid, hint: t.alreadyPaidHint }) };
    if (p.status === 'cancelled')
      return { status: 410, html: statePage(frame, view, { icon: '✕', cls: 'bad', title: t.cancelled, hint: t.cancelledHint }) };
    if (p.status === 'expired' || deps.clock.now() >= p.expiresAt)
      return { status: 410, html: statePage(frame, view, { icon: '⌛', cls: 'warn', title: t.expired, hint: t.expiredHint }) };
    return undefined;
  };

  const notFound = (req: Request, res: Response) => {
    const frame = frameFor(req, res);
    res
      .status(404)
      .type('html')
      .send(statePage(frame, null, { icon: '?', cls: 'warn', title: frame.t.notFound, hint: frame.t.notFoundHint }));
  };

  router.get('/pay/:token', (req, res) => {
    const p = byToken(req.params.token);
    if (!p) return notFound(req, res);
    const frame = frameFor(req, res);
    const closed = closedPage(frame, p);
    if (closed) return res.status(closed.status).type('html').send(closed.html);
    res.type('html').send(choosePage(frame, viewOf(deps, p), offered(p), p.linkToken));
  });

  router.post('/pay/:token', async (req, res, next) => {
    try {
      const p = byToken(req.params.token);
      if (!p) return notFound(req, res);
      const frame = frameFor(req, res);
      const closed = closedPage(frame, p);
      if (closed) return res.status(closed.status).type('html').send(closed.html);
      const provider = typeof req.body?.provider === 'string' ? req.body.provider : '';
      if (!offered(p).includes(provider)) {
        return res
          .status(400)
          .type('html')
          .send(
            choosePage(frame, viewOf(deps, p), offered(p), p.linkToken, { title: frame.t.providerError, hint: frame.t.providerErrorHint }),
          );
      }
      const result = await startSession(deps, {
        paymentId: p.id,
        provider,
        language: frame.lang as PayLanguage,
        description: p.description ?? `${merchantName(deps, p.accountId)} #${p.leadId}`,
      });
      if (result.kind === 'provider_error') {
        return res
          .status(502)
          .type('html')
          .send(
            choosePage(frame, viewOf(deps, p), offered(p), p.linkToken, { title: frame.t.providerError, hint: frame.t.providerErrorHint }),
          );
      }
      if (result.redirect.method === 'GET') return res.redirect(303, result.redirect.url);
      res.type('html').send(autoPostPage(frame, result.redirect.url, result.redirect.form));
    } catch (err) {
      const p = isAppError(err) && err.status === 409 ? byToken(req.params.token) : undefined;
      if (p) {
        // Paid, expired or cancelled between the page and the click: show the page for that state.
        const frame = frameFor(req, res);
        const closed = closedPage(frame, p);
        if (closed) return res.status(closed.status).type('html').send(closed.html);
        // The provider cannot be used (credentials incomplete): the customer sees a page, not JSON.
        deps.logger.warn('pay page: provider unusable', { paymentId: p.id, code: (err as { code?: string }).code });
        return res
          .status(503)
          .type('html')
          .send(
            choosePage(frame, viewOf(deps, p), offered(p), p.linkToken, { title: frame.t.providerError, hint: frame.t.providerErrorHint }),
          );
      }
      next(err);
    }
  });

  router.get('/pay/:token/return', async (req, res, next) => {
    try {
      let p = byToken(req.params.token);
      if (!p) return notFound(req, res);
      const attemptsOfPayment = loadAttempts(deps.db, p.id);
      const wanted = typeof req.query.attempt === 'string' ? attemptsOfPayment.find((a) => a.id === req.query.attempt) : undefined;
      const attempt = wanted ?? attemptsOfPayment[attemptsOfPayment.length - 1];
      // Never trust the redirect: ask the provider, then show what the ledger says.
      if (attempt && (attempt.status === 'created' || attempt.status === 'pending')) {
        await verifyAttempt(deps, attempt.id, 'customer_return');
        p = byToken(req.params.token)!;
      }
      const frame = frameFor(req, res);
      const t = frame.t;
      const view = viewOf(deps, p);
      const status = p.status;
      if (p.reviewReason && isMoneyTaken(status)) {
        return res.type('html').send(statePage(frame, view, { icon: '!', cls: 'warn', title: t.review, hint: t.reviewHint }));
      }
      if (isMoneyTaken(status))
        return res.type('html').send(statePage(frame, view, { icon: '✓', cls: 'ok', title: t.success, hint: t.successHint }));
      const closed = closedPage(frame, p);
      if (closed) return res.status(closed.status).type('html').send(closed.html);
      const current = attempt ? loadAttempts(deps.db, p.id).find((a) => a.id === attempt.id) : undefined;
      if (current && (current.status === 'failed' || current.status === 'cancelled' || current.status === 'expired') && isPayable(status)) {
        const retry = `<a class="btn" href="/pay/${p.linkToken}?lang=${frame.lang}">${t.tryAgain}</a>`;
        return res.type('html').send(statePage(frame, view, { icon: '✕', cls: 'bad', title: t.failed, hint: t.failedHint }, retry));
      }
      const pendingFrame = { ...frame, refreshSeconds: 5 };
      res.type('html').send(statePage(pendingFrame, view, { icon: '…', cls: 'warn', title: t.pending, hint: t.pendingHint }));
    } catch (err) {
      next(err);
    }
  });

  return router;
}
