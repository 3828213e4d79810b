import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Step } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';
import type { ProviderFact } from '../providers/provider.ts';
import { commitDecision } from './commit-decision.ts';
import type { LedgerDeps } from './deps.ts';
import { newId } from './ids.ts';
import { loadAttempt, loadAttempts, loadPayment } from './load-payment.ts';
import { attemptStateOf, paymentStateOf, type AttemptRow, type PaymentRow } from './payment-state.ts';
import { decideProviderFact } from './rules/decide-provider-fact.ts';
import type { Decision } from './rules/state.ts';

export interface ApplyFactInput {
  attemptId: string;
  /** Only verified facts come here: a signed notification or our own status query. */
  fact: ProviderFact;
  /** "provider:idram", "reconciler", "user:12" … */
  actor: string;
  /** The attempt's row when the caller has just read it in this same transaction (not read again). */
  attemptRow?: AttemptRow;
}

/**
 * Applies a verified fact inside the caller's transaction (the webhook route records the inbox
 * row in the same one). The payment row is locked before anything is read about it, so concurrent
 * copies of one notification (on one instance or several) run one after another and the second
 * sees the first one's result: SQLite's IMMEDIATE transaction, PostgreSQL's `FOR UPDATE`.
 */
export function* applyProviderFactInTx(tx: Tx, now: number, input: ApplyFactInput): Step<Decision & { paymentId?: string }> {
  // Its payment and provider never change: a row read earlier in this transaction serves.
  const attemptRow = input.attemptRow?.id === input.attemptId ? input.attemptRow : yield* loadAttempt(tx, input.attemptId);
  if (!attemptRow) return { payment: undefined as never, events: [], outcome: 'unknown_attempt' };
  const payment = yield* loadPayment(tx, attemptRow.paymentId, { lock: true });
  const all = (yield* loadAttempts(tx, payment.id)).map(attemptStateOf);
  const decision = decideProviderFact(paymentStateOf(payment), all, input.attemptId, input.fact, now);
  yield* commitDecision(tx, { payment, actor: input.actor, now, provider: attemptRow.provider }, decision);
  if (decision.providerRefundMinor) yield* recordProviderRefund(tx, now, payment, input.attemptId, decision.providerRefundMinor);
  return { ...decision, paymentId: payment.id };
}

export function applyProviderFact(deps: LedgerDeps, input: ApplyFactInput): Promise<Decision & { paymentId?: string }> {
  const now = deps.clock.now();
  return deps.store.transaction((tx) => applyProviderFactInTx(tx, now, input));
}

/**
 * The provider's refunded total grew by `grownMinor`. Refunds we asked for and have not settled
 * yet (pending, or unknown after a timeout) are what grew it: settle them first, oldest first, so a
 * refund is never counted twice whichever of our answer and the provider's report arrives first.
 * Whatever is left was refunded outside dramlink (the provider cabinet) and is recorded as such.
 */
function* recordProviderRefund(
  tx: Tx,
  now: number,
  payment: Pick<PaymentRow, 'id' | 'accountId' | 'currency'>,
  attemptId: string,
  grownMinor: number,
): Step<void> {
  const { refunds } = tx.t;
  let remaining = grownMinor;
  const open = yield* tx.all(
    tx
      .select()
      .from(refunds)
      .where(and(eq(refunds.paymentId, payment.id), inArray(refunds.state, ['pending', 'unknown'])))
      .orderBy(asc(refunds.createdAt), asc(refunds.id)),
  );
  for (const r of open) {
    if (r.amountMinor > remaining) continue;
    yield* tx.run(tx.update(refunds).set({ state: 'succeeded', updatedAt: now }).where(eq(refunds.id, r.id)));
    remaining -= r.amountMinor;
  }
  if (remaining <= 0) return;
  yield* tx.run(
    tx.insert(refunds).values({
      id: newId('ref', now),
      paymentId: payment.id,
      accountId: payment.accountId,
      attemptId,
      amountMinor: remaining,
      currency: payment.currency,
      state: 'succeeded',
      source: 'provider',
      createdAt: now,
      updatedAt: now,
    }),
  );
}
