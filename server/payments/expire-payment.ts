import { decideExpire } from './rules/decide-expire.ts';
import type { Decision } from './rules/state.ts';
import { commitDecision } from './commit-decision.ts';
import type { LedgerDeps } from './deps.ts';
import { loadPayment } from './load-payment.ts';
import { paymentStateOf } from './payment-state.ts';

/**
 * Expires an unpaid payment whose link lifetime is over. The reconciler calls this only after one
 * last status query, so a payment made in the final minutes is not lost to a race.
 */
export function expirePayment(deps: LedgerDeps, input: { paymentId: string; actor?: string }): Promise<Decision> {
  const now = deps.clock.now();
  return deps.store.transaction(function* (tx) {
    const payment = yield* loadPayment(tx, input.paymentId, { lock: true });
    const decision = decideExpire(paymentStateOf(payment), now);
    yield* commitDecision(tx, { payment, actor: input.actor ?? 'system', now }, decision);
    return decision;
  });
}
