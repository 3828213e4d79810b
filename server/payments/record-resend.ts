import { ConflictError } from '../errors/app-error.ts';
import { isPayable } from '../../shared/status.ts';
import type { LedgerDeps } from './deps.ts';
import { loadPayment } from './load-payment.ts';
import type { PaymentRow } from './payment-state.ts';
import { recordEvents } from './record-events.ts';

/** Logs that a manager sent the link again (who, when, which channel) with a note on the lead. */
export function recordResend(
  deps: LedgerDeps,
  input: { paymentId: string; accountId: number; actor: string; actorName?: string; channel: string; link: string },
): Promise<PaymentRow> {
  const now = deps.clock.now();
  return deps.store.transaction(function* (tx) {
    const payment = yield* loadPayment(tx, input.paymentId, { accountId: input.accountId, lock: true });
    if (!isPayable(payment.status) || now >= payment.expiresAt) {
      throw new ConflictError(
        'payment_not_payable',
        `This payment is ${payment.status === 'awaiting' ? 'expired' : payment.status}; sending its link again would not let the customer pay. Create a new link instead.`,
      );
    }
    yield* recordEvents(tx, { payment, actor: input.actor, actorName: input.actorName, now, link: input.link }, [
      { type: 'resent', channel: input.channel },
    ]);
    return payment;
  });
}
