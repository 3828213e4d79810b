import type { LedgerDeps } from './deps.ts';
import { loadPayment } from './load-payment.ts';
import type { PaymentRow } from './payment-state.ts';
import { recordEvents } from './record-events.ts';

/**
 * Records that dramlink had the link sent (who, when, how: the Salesbot amoCRM started for the lead),
 * with a note on the lead. Called only after amoCRM accepted the start: nothing is claimed that
 * did not happen.
 */
export function recordSent(
  deps: LedgerDeps,
  input: { paymentId: string; accountId: number; actor: string; actorName?: string; botId: number; link: string },
): Promise<PaymentRow> {
  const now = deps.clock.now();
  return deps.store.transaction(function* (tx) {
    const payment = yield* loadPayment(tx, input.paymentId, { accountId: input.accountId, lock: true });
    yield* recordEvents(tx, { payment, actor: input.actor, actorName: input.actorName, now, link: input.link }, [
      { type: 'sent', via: 'salesbot', botId: input.botId },
    ]);
    return payment;
  });
}
