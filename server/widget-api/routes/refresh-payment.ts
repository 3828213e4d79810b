import type { Router } from 'express';
import { emptyBodySchema } from '../../../shared/api.ts';
import { isAppError, UpstreamError } from '../../errors/app-error.ts';
import { loadAttempts, loadPayment } from '../../payments/load-payment.ts';
import { verifyAndFollowUp } from '../../payments/move-hold.ts';
import { OPEN_ATTEMPT_STATUSES } from '../../../shared/status.ts';
import { authOf } from '../auth/middleware.ts';
import type { WidgetApiDeps } from '../deps.ts';
import { idParam, parseBody } from '../validate.ts';
import { loadPaymentView } from '../views/payment.ts';

/** At most this many attempts are queried per refresh (the newest ones). */
const MAX_QUERIED = 5;

/**
 * POST /payments/:id/refresh: asks the provider (server side) about the payment's open attempts
 * and the paid one (refunds made in the provider cabinet show up there), applies the verified
 * answers, and returns the payment. Nothing the widget says is taken as a fact.
 * 502 status_query_failed when every query failed (nothing was learnt).
 */
export function refreshPaymentRoute(router: Router, deps: WidgetApiDeps): void {
  router.post('/payments/:id/refresh', deps.auth, async (req, res) => {
    const auth = authOf(res);
    parseBody(req, emptyBodySchema);
    const { store, config, payments: verifyDeps } = deps.services;
    const paymentId = idParam(req, 'id');
    const { payment, attempts } = await store.run(function* (tx) {
      const payment = yield* loadPayment(tx, paymentId, auth.accountId);
      return { payment, attempts: yield* loadAttempts(tx, payment.id) };
    });
    const toQuery = attempts
      .filter((a) => (OPEN_ATTEMPT_STATUSES as readonly string[]).includes(a.status) || a.id === payment.paidAttemptId)
      .slice(-MAX_QUERIED);

    const failures: Array<{ attemptId: string; provider: string; code: string; message: string }> = [];
    for (const attempt of toQuery) {
      try {
        // A hold it finds is captured or released at once when that is the rule (move-hold.ts).
        const result = await verifyAndFollowUp(verifyDeps, attempt.id, auth.actor);
        if (result.kind === 'error')
          failures.push({ attemptId: attempt.id, provider: attempt.provider, code: result.code, message: result.message });
      } catch (err) {
        // provider_not_configured / provider_misconfigured: the provider was removed or broken since.
        if (!isAppError(err)) throw err;
        failures.push({ attemptId: attempt.id, provider: attempt.provider, code: err.code, message: err.message });
      }
    }
    if (toQuery.length > 0 && failures.length === toQuery.length) {
      throw new UpstreamError(
        'status_query_failed',
        `The provider could not be asked about this payment: ${failures[0].message}. Try again in a minute.`,
        { failures },
      );
    }
    const view = await loadPaymentView(store, config.publicUrl, paymentId, auth.accountId);
    res.json({ payment: view });
  });
}
