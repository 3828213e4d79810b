import type { Request, Response } from 'express';
import { emptyBodySchema } from '../../shared/api.ts';
import { UpstreamError } from '../errors/app-error.ts';
import { moveHeldFundsOf } from '../payments/move-hold.ts';
import type { HoldActionKind } from '../payments/rules/decide-hold-action.ts';
import { authOf } from './auth/middleware.ts';
import type { WidgetApiDeps } from './deps.ts';
import { idParam, parseBody } from './validate.ts';
import { loadPaymentView } from './views/payment.ts';

/**
 * An admin's Capture or Void of the funds held for a payment: the provider is called once, then
 * asked for the status (paid when the capture shows, the hold closed when the release does).
 * 200 {payment} when it went through or its outcome is still being checked (the hold then stays
 * shown); 409 no_hold, hold_action_in_progress or payment_already_paid; 502 capture_failed or
 * void_failed when the provider refused (the payment goes to review with a task).
 */
export async function moveHeldFunds(deps: WidgetApiDeps, kind: HoldActionKind, req: Request, res: Response): Promise<void> {
  const auth = authOf(res);
  parseBody(req, emptyBodySchema);
  const { store, config } = deps.services;
  const paymentId = idParam(req, 'id');
  const action = await moveHeldFundsOf(deps.services.payments, { paymentId, accountId: auth.accountId, kind, actor: auth.actor });
  const payment = await loadPaymentView(store, config.publicUrl, paymentId, auth.accountId);
  if (action.state === 'failed') {
    throw new UpstreamError(
      `${kind}_failed`,
      `The provider did not ${kind === 'capture' ? 'capture' : 'release'} the held funds: ${action.error ?? 'no reason given'}. They are still held.`,
      { payment },
    );
  }
  res.json({ payment });
}
