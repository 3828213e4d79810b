import type { Router } from 'express';
import { emptyBodySchema } from '../../../shared/api.ts';
import { cancelPayment } from '../../payments/cancel-payment.ts';
import { releaseHoldsOf } from '../../payments/move-hold.ts';
import { authOf } from '../auth/middleware.ts';
import type { WidgetApiDeps } from '../deps.ts';
import { idParam, parseBody } from '../validate.ts';
import { loadPaymentView } from '../views/payment.ts';

/**
 * POST /payments/:id/cancel: closes an unpaid link (409 payment_already_paid, payment_expired or
 * payment_cancelled otherwise), then releases funds a two-stage provider holds for it (Ameriabank
 * CancelPayment, BPC reverse.do). An open, unpaid provider session cannot be closed through these
 * APIs: it runs out by itself (about 20 minutes); a success arriving meanwhile still counts,
 * flagged for review with a task (paid_after_cancel).
 */
export function cancelPaymentRoute(router: Router, deps: WidgetApiDeps): void {
  router.post('/payments/:id/cancel', deps.auth, async (req, res) => {
    const auth = authOf(res);
    parseBody(req, emptyBodySchema);
    const { store, config, ledger } = deps.services;
    const cancelled = await cancelPayment(ledger, {
      paymentId: idParam(req, 'id'),
      accountId: auth.accountId,
      actor: auth.actor,
      actorName: await deps.userName(auth),
    });
    await releaseHoldsOf(deps.services.payments, cancelled.id);
    const payment = await loadPaymentView(store, config.publicUrl, cancelled.id);
    res.json({ payment });
  });
}
