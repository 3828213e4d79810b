import type { Step } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';
import { recordEvents, type CommitContext } from './record-events.ts';
import type { Decision } from './rules/state.ts';
import { writeAttemptState, writePaymentState } from './write-state.ts';

export type { CommitContext } from './record-events.ts';

/**
 * Writes what a decision changed, inside the caller's transaction: the payment and attempt rows,
 * then its events (audit, outbox, exceptions; see recordEvents). A decision without events changed
 * nothing and writes nothing.
 */
export function* commitDecision(tx: Tx, ctx: CommitContext, decision: Decision): Step<void> {
  if (decision.events.length === 0) return;
  yield* writePaymentState(tx, ctx.payment.id, decision.payment, ctx.now);
  if (decision.attempt) yield* writeAttemptState(tx, decision.attempt, ctx.now);
  yield* recordEvents(tx, ctx, decision.events);
}
