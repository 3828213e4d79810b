import { isMoneyTaken } from '../../../shared/status.ts';
import type { LedgerEvent } from '../ledger-events.ts';
import { setReview } from './review.ts';
import type { AttemptState, Decision, PaymentState } from './state.ts';

export type HoldActionKind = 'capture' | 'void';

/** Why a capture or void cannot be asked for now. */
export type HoldActionRefusal = { refused: 'not_held' | 'in_progress' | 'already_paid' };

/**
 * Asking the provider to capture or release a hold: only an `authorized` attempt, one action at a
 * time (a second click while one is out, or whose outcome is still unknown, is refused), and never
 * a capture on a payment already paid (that would take the money twice).
 */
export function decideHoldAction(
  payment: PaymentState,
  attempt: AttemptState,
  input: { kind: HoldActionKind; actionId: string; inFlight: boolean },
): Decision | HoldActionRefusal {
  if (attempt.status !== 'authorized') return { refused: 'not_held' };
  if (input.inFlight) return { refused: 'in_progress' };
  if (input.kind === 'capture' && isMoneyTaken(payment.status)) return { refused: 'already_paid' };
  return {
    payment,
    events: [{ type: `${input.kind}_requested`, attemptId: attempt.id, actionId: input.actionId }],
    outcome: 'applied',
  };
}

/**
 * The provider refused a capture or void, or the status query after an unknown outcome shows the
 * funds still held: a person decides (review, with a task), the hold stays as it is.
 */
export function decideHoldActionFailed(
  payment: PaymentState,
  attempt: AttemptState,
  input: { kind: HoldActionKind; actionId: string; message: string | null; now: number },
): Decision {
  const reason = input.kind === 'capture' ? 'capture_failed' : 'void_failed';
  const events: LedgerEvent[] = [
    { type: `${input.kind}_failed`, attemptId: attempt.id, actionId: input.actionId, message: input.message },
    { type: 'review_needed', reason, attemptId: attempt.id, actionId: input.actionId, message: input.message },
  ];
  return { payment: setReview(payment, reason, input.now), events, outcome: 'needs_review' };
}

/**
 * A capture or void whose call timed out, settled by the attempt's status the next status query
 * reported: a capture happened when the attempt is paid, a void when it is closed; still held means
 * it did not (a person decides); anything else is not known yet.
 */
export function settledByStatus(kind: HoldActionKind, attemptStatus: AttemptState['status']): 'succeeded' | 'failed' | undefined {
  if (attemptStatus === 'authorized') return 'failed';
  if (kind === 'capture') {
    if (attemptStatus === 'paid') return 'succeeded';
    return attemptStatus === 'cancelled' || attemptStatus === 'expired' || attemptStatus === 'failed' ? 'failed' : undefined;
  }
  if (attemptStatus === 'cancelled' || attemptStatus === 'expired' || attemptStatus === 'failed') return 'succeeded';
  return attemptStatus === 'paid' ? 'failed' : undefined;
}
