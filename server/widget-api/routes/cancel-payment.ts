import type { Router } from 'express';
import { emptyBodySchema } from '../../../shared/api.ts';
import { cancelPayment } from '../../payments/cancel-payment.ts';
import { authOf } from '../auth/middleware.ts';
import type { WidgetApiDeps } from '../deps.ts';
import { idParam, parseBody } from '../validate.ts';
import { paymentViews } from '../views/payment.ts';

/**
 * POST /payments/:id/cancel: closes an unpaid link (409 payment_already_paid, payment_expired or
 * payment_cancelled otherwise). A success arriving later still counts, flagged for review.
 */
export function cancelPaymentRoute(router: Router, deps: WidgetApiDeps): void {
  router.post('/payments/:id/cancel', deps.auth, async (req, res) => {
    const auth = authOf(res);
    parseBody(req, emptyBodySchema);
    const { db, config, ledger } = deps.services;
    const row = cancelPayment(ledger, {
      paymentId: idParam(req, 'id'),
      accountId: auth.accountId,
      actor: auth.actor,
      actorName: await deps.userName(auth),
    });
    const [payment] = paymentViews(db, config.publicUrl, [row]);
    res.json({ payment });
  });
}
