import type { Request, RequestHandler } from 'express';
import { isMoneyTaken, isPayable, OPEN_ATTEMPT_STATUSES } from '../../../shared/status.ts';
import { findAttemptByRef } from '../../payments/find-attempt.ts';
import { loadAttempt, loadPayment } from '../../payments/load-payment.ts';
import { verifyAndFollowUp } from '../../payments/move-hold.ts';
import type { AttemptRow } from '../../payments/payment-state.ts';
import { decodeIssuerId, restoreBase64Plus } from '../../providers/telcell/base64.ts';
import { rememberedAttempt } from '../attempt-cookie.ts';
import type { PayPageDeps } from '../deps.ts';
import { frameFor, sendPage, type Page } from '../page-frame.ts';
import { notFoundPage } from '../pages.ts';
import { pagePaymentOf, payViewOf, type PagePayment } from '../payment-lookup.ts';
import { statePage, type PageFrame } from '../templates.ts';

type ReturningProvider = 'idram' | 'telcell';

/** The provider's own reference to our order, from its redirect (query, or a posted form). */
function orderRefOf(provider: ReturningProvider, req: Request): string | undefined {
  const read = (name: string): string | undefined => {
    const fromBody = typeof req.body?.[name] === 'string' ? (req.body[name] as string) : undefined;
    const fromQuery = typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined;
    return (fromBody ?? fromQuery)?.trim() || undefined;
  };
  if (provider === 'idram') return read('EDP_BILL_NO');
  const issuerId = read('issuer_id') ?? read('order');
  return issuerId ? decodeIssuerId(restoreBase64Plus(issuerId)) : undefined;
}

const isOpen = (a: AttemptRow) => (OPEN_ATTEMPT_STATUSES as readonly string[]).includes(a.status);

/**
 * GET|POST /pay/return/:provider/:accountId[/success|/fail]: where Idram (SUCCESS_URL, FAIL_URL)
 * and Telcell (REDIRECT_URL) send the customer back. Their staff configure these once per merchant
 * (GET /api/v1/settings lists them as providerUrls), so the payment is found from the provider's
 * parameters (EDP_BILL_NO, issuer_id), verified with the provider where it has a status API, and the
 * customer sees our result page in their language, never a bare "OK". Telcell's issuer_id is the
 * attempt id itself (unguessable): that browser gets the payment's own return page. Idram's bill
 * number is a counter anyone could guess: only the browser that opened the attempt (its cookie)
 * gets the payment's details; any other gets the verified state alone.
 */
export function providerReturn(deps: PayPageDeps): RequestHandler<{ provider: string; accountId: string; outcome?: string }> {
  return async (req, res, next) => {
    try {
      const frame = frameFor(req, res);
      const { provider } = req.params;
      const outcome = req.params.outcome;
      const accountId = /^\d{1,15}$/.test(req.params.accountId) ? Number(req.params.accountId) : NaN;
      if (
        (provider !== 'idram' && provider !== 'telcell') ||
        !Number.isSafeInteger(accountId) ||
        (outcome && outcome !== 'success' && outcome !== 'fail')
      ) {
        return sendPage(res, notFoundPage(frame));
      }
      const ref = orderRefOf(provider, req);
      const found = ref ? await deps.store.run((tx) => findAttemptByRef(tx, { accountId, provider, providerOrderNo: ref })) : undefined;
      if (!found) return sendPage(res, notFoundPage(frame));
      let attempt = found;
      if (isOpen(attempt) && deps.providers.provider(provider).caps.statusQuery) {
        await verifyAndFollowUp(deps, attempt.id, 'customer_return');
        attempt = (await deps.store.run((tx) => loadAttempt(tx, found.id)))!;
      }
      const payment = await pagePaymentOf(deps, await deps.store.run((tx) => loadPayment(tx, found.paymentId)));
      const proven = attempt.id === ref || rememberedAttempt(req) === attempt.id;
      const failedHere = outcome === 'fail' && isOpen(attempt) && attempt.status !== 'authorized';
      if (proven && !failedHere) {
        return res.redirect(303, `/pay/${payment.linkToken}/return?attempt=${attempt.id}&lang=${frame.lang}`);
      }
      sendPage(res, resultPage(deps, frame, payment, attempt, { proven, failedHere }));
    } catch (err) {
      next(err);
    }
  };
}

/**
 * The verified state of the payment. With `proven` it shows the payment and a way back to its link;
 * without, only the state. `failedHere`: the provider sent the customer to its failure URL while
 * nothing settled the attempt (Idram has no status query): said as failed, the ledger untouched.
 */
function resultPage(
  deps: PayPageDeps,
  frame: PageFrame,
  p: PagePayment,
  attempt: AttemptRow,
  o: { proven: boolean; failedHere: boolean },
): Page {
  const t = frame.t;
  const view = o.proven ? payViewOf(deps, p) : null;
  const page = (state: Parameters<typeof statePage>[2], extra = '', refresh = false): Page => ({
    status: 200,
    html: statePage(refresh ? { ...frame, refreshSeconds: 5 } : frame, view, state, extra),
  });
  if (isMoneyTaken(p.status) && p.reviewReason) return page({ icon: '!', cls: 'warn', title: t.review, hint: t.reviewHint });
  if (isMoneyTaken(p.status)) return page({ icon: '✓', cls: 'ok', title: t.success, hint: t.successHint });
  if (p.status === 'cancelled') return page({ icon: '✕', cls: 'bad', title: t.cancelled, hint: t.cancelledHint });
  if (p.status === 'expired') return page({ icon: '⌛', cls: 'warn', title: t.expired, hint: t.expiredHint });
  if (attempt.status === 'authorized') return page({ icon: '✓', cls: 'ok', title: t.held, hint: t.heldHint });
  if (o.failedHere || attempt.status === 'failed' || attempt.status === 'cancelled' || attempt.status === 'expired') {
    const retry = o.proven && isPayable(p.status) ? `<a class="btn" href="/pay/${p.linkToken}?lang=${frame.lang}">${t.tryAgain}</a>` : '';
    return page({ icon: '✕', cls: 'bad', title: t.failed, hint: t.failedHint }, retry);
  }
  return page({ icon: '…', cls: 'warn', title: t.pending, hint: t.pendingHint }, '', true);
}
