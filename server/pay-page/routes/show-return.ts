import type { RequestHandler } from 'express';
import { isMoneyTaken, isPayable } from '../../../shared/status.ts';
import { loadAttempts } from '../../payments/load-payment.ts';
import type { AttemptRow } from '../../payments/payment-state.ts';
import { verifyAndFollowUp } from '../../payments/move-hold.ts';
import type { PayPageDeps } from '../deps.ts';
import { frameFor, sendPage, type Page } from '../page-frame.ts';
import { closedPage, notFoundPage } from '../pages.ts';
import { paymentByToken, payViewOf, type PagePayment } from '../payment-lookup.ts';
import { esc } from '../html.ts';
import { statePage, type PageFrame } from '../templates.ts';

/**
 * GET /pay/:token/return, where providers send the customer back. The redirect proves nothing: an
 * attempt still open is verified with the provider first, then the page shows what the ledger says.
 */
export function showReturn(deps: PayPageDeps): RequestHandler<{ token: string }> {
  return async (req, res, next) => {
    try {
      let p = await paymentByToken(deps, req.params.token);
      if (!p) return sendPage(res, notFoundPage(frameFor(req, res, { returning: true })));
      const paymentId = p.id;
      const ofPayment = await deps.store.run((tx) => loadAttempts(tx, paymentId));
      const wanted = typeof req.query.attempt === 'string' ? ofPayment.find((a) => a.id === req.query.attempt) : undefined;
      const attempt = wanted ?? ofPayment[ofPayment.length - 1];
      // Past the client's budget the page shows what the ledger knows, without asking the provider.
      const open = attempt && (attempt.status === 'created' || attempt.status === 'pending' || attempt.status === 'authorized');
      if (attempt && open && (deps.limits?.admit(req.ip) ?? true)) {
        // A two-stage hold found here is captured at once when that is the rule, so the page can say paid.
        await verifyAndFollowUp(deps, attempt.id, 'customer_return');
        p = (await paymentByToken(deps, req.params.token))!;
      }
      const current = attempt ? (await deps.store.run((tx) => loadAttempts(tx, paymentId))).find((a) => a.id === attempt.id) : undefined;
      sendPage(res, returnPage(deps, frameFor(req, res, { returning: true }), p, current));
    } catch (err) {
      next(err);
    }
  };
}

/** Paid (or paid but held for review), closed, failed with a way to try again, or still pending (the page refreshes itself). */
function returnPage(deps: PayPageDeps, frame: PageFrame, p: PagePayment, current: AttemptRow | undefined): Page {
  const t = frame.t;
  const view = payViewOf(deps, p);
  const status = p.status;
  const ok = (html: string): Page => ({ status: 200, html });
  if (p.reviewReason && isMoneyTaken(status))
    return ok(statePage(frame, view, { icon: '!', cls: 'warn', title: t.review, hint: t.reviewHint }));
  if (status === 'paid') return ok(statePage(frame, view, { icon: '✓', cls: 'ok', title: t.success, hint: t.successHint }));
  const closed = closedPage(deps, frame, p);
  if (closed) return closed;
  if (current && (current.status === 'failed' || current.status === 'cancelled' || current.status === 'expired') && isPayable(status)) {
    const retry = `<a class="btn" href="/pay/${esc(p.linkToken)}?lang=${frame.lang}">${esc(t.tryAgain)}</a>`;
    return ok(statePage(frame, view, { icon: '✕', cls: 'bad', title: t.failed, hint: t.failedHint }, retry));
  }
  // Funds held, waiting for the merchant's capture (manual mode): nothing to refresh for.
  if (current?.status === 'authorized') return ok(statePage(frame, view, { icon: '✓', cls: 'ok', title: t.held, hint: t.heldHint }));
  return ok(statePage({ ...frame, refreshSeconds: 5 }, view, { icon: '…', cls: 'warn', title: t.pending, hint: t.pendingHint }));
}
