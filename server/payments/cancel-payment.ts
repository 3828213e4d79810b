import { ConflictError } from '../errors/app-error.ts';
import { commitDecision } from './commit-decision.ts';
import type { LedgerDeps } from './deps.ts';
import { loadPayment } from './load-payment.ts';
import { paymentStateOf, type PaymentRow } from './payment-state.ts';
import { decideCancel } from './rules/decide-cancel.ts';

const REFUSED = {
  already_paid: 'This payment is already paid and cannot be cancelled; refund it instead.',
  expired: 'This payment link has already expired.',
  cancelled: 'This payment link is already cancelled.',
} as const;

/** A manager cancels an unpaid link. A success arriving later still counts, with a review. */
export function cancelPayment(
  deps: LedgerDeps,
  input: { paymentId: string; accountId: number; actor: string; actorName?: string },
): Promise<PaymentRow> {
  const now = deps.clock.now();
  return deps.store.transaction(function* (tx) {
    const payment = yield* loadPayment(tx, input.paymentId, { accountId: input.accountId, lock: true });
    const decision = decideCancel(paymentStateOf(payment));
    if ('refused' in decision) throw new ConflictError(`payment_${decision.refused}`, REFUSED[decision.refused]);
    yield* commitDecision(tx, { payment, actor: input.actor, actorName: input.actorName, now }, decision);
    return yield* loadPayment(tx, input.paymentId);
  });
}
