import type { Router } from 'express';
import { refundBodySchema } from '../../../shared/api.ts';
import { UpstreamError } from '../../errors/app-error.ts';
import { authOf } from '../auth/middleware.ts';
import type { WidgetApiDeps } from '../deps.ts';
import { refundPayment } from '../refund-payment.ts';
import { idParam, parseBody } from '../validate.ts';
import { loadPaymentView } from '../views/payment.ts';

/**
 * POST /payments/:id/refunds (admins only): refunds `amountMinor`, or the rest when absent.
 * 201 {payment, refund} when the provider refunded it or its answer is still unknown
 * (refund.state "unknown": a status query settles it); 502 refund_failed when the provider refused.
 */
export function refundPaymentRoute(router: Router, deps: WidgetApiDeps): void {
  router.post('/payments/:id/refunds', deps.auth, deps.admin, async (req, res) => {
    const auth = authOf(res);
    const body = parseBody(req, refundBodySchema);
    const { store, config } = deps.services;
    const paymentId = idParam(req, 'id');
    const refund = await refundPayment(deps.services, {
      paymentId,
      accountId: auth.accountId,
      amountMinor: body.amountMinor,
      actor: auth.actor,
    });
    const payment = await loadPaymentView(store, config.publicUrl, paymentId, auth.accountId);
    const refundView = { id: refund.id, amountMinor: refund.amountMinor, state: refund.state };
    if (refund.state === 'failed') {
      throw new UpstreamError(
        'refund_failed',
        `The provider refused the refund: ${refund.error ?? 'no reason given'}. Nothing was refunded.`,
        { refund: refundView, payment },
      );
    }
    res.status(201).json({ payment, refund: refundView });
  });
}
