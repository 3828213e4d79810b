import type { Router } from 'express';
import { resendBodySchema } from '../../../shared/api.ts';
import { paymentLink } from '../../payments/create-payment.ts';
import { loadPayment } from '../../payments/load-payment.ts';
import { recordResend } from '../../payments/record-resend.ts';
import { authOf } from '../auth/middleware.ts';
import type { WidgetApiDeps } from '../deps.ts';
import { idParam, parseBody } from '../validate.ts';
import { loadPaymentView } from '../views/payment.ts';

/** POST /payments/:id/resend: logs who sent the link again, when and how, with a note on the lead. */
export function resendPaymentRoute(router: Router, deps: WidgetApiDeps): void {
  router.post('/payments/:id/resend', deps.auth, async (req, res) => {
    const auth = authOf(res);
    const body = parseBody(req, resendBodySchema);
    const { store, config, ledger } = deps.services;
    const paymentId = idParam(req, 'id');
    const existing = await store.run((tx) => loadPayment(tx, paymentId, auth.accountId));
    await recordResend(ledger, {
      paymentId,
      accountId: auth.accountId,
      actor: auth.actor,
      actorName: await deps.userName(auth),
      channel: body.channel ?? 'copy',
      link: paymentLink(config.publicUrl, existing.linkToken),
    });
    const payment = await loadPaymentView(store, config.publicUrl, paymentId, auth.accountId);
    res.json({ payment });
  });
}
