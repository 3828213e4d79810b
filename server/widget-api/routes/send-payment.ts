import type { Router } from 'express';
import { sendBodySchema } from '../../../shared/api.ts';
import { loadPayment } from '../../payments/load-payment.ts';
import { sendViaSalesbot } from '../../salesbot/run-salesbot.ts';
import { authOf } from '../auth/middleware.ts';
import type { WidgetApiDeps } from '../deps.ts';
import { idParam, parseBody } from '../validate.ts';
import { paymentViews } from '../views/payment.ts';

/** POST /payments/:id/send `{via: "salesbot"}`: amoCRM starts the account's Salesbot for the lead; recorded once accepted. */
export function sendPaymentRoute(router: Router, deps: WidgetApiDeps): void {
  router.post('/payments/:id/send', deps.auth, async (req, res) => {
    const auth = authOf(res);
    parseBody(req, sendBodySchema);
    const { store, config, ledger } = deps.services;
    const paymentId = idParam(req, 'id');
    await sendViaSalesbot(
      { ...ledger, publicUrl: config.publicUrl },
      { ctx: auth.account, paymentId, actor: auth.actor, actorName: await deps.userName(auth) },
    );
    const [payment] = await store.run(function* (tx) {
      return yield* paymentViews(tx, config.publicUrl, [yield* loadPayment(tx, paymentId, auth.accountId)]);
    });
    res.json({ payment });
  });
}
