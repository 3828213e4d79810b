import { isAppError } from '../errors/app-error.ts';
import { ProviderError, ProviderTimeoutError, ProviderUnreachableError } from '../providers/errors.ts';
import type { CaptureResult, PaymentProvider, ProviderContext } from '../providers/provider.ts';
import { heldAttempt, reserveHoldAction, settleHoldAction, type HoldActionRow } from './hold-actions.ts';
import { loadAttempt, loadAttempts, loadPayment } from './load-payment.ts';
import { attemptStateOf, paymentStateOf, type AttemptRow } from './payment-state.ts';
import { settledByStatus, type HoldActionKind } from './rules/decide-hold-action.ts';
import { holdFollowUp } from './rules/hold-follow-up.ts';
import { forgetStatusQuery } from './status-ration.ts';
import { attemptRef, verifyAttempt, type VerifyDeps, type VerifyResult } from './verify-attempt.ts';

/** One call to the provider: capture (ConfirmPayment, deposit.do) or release (CancelPayment, reverse.do). */
async function callProvider(
  provider: PaymentProvider<any>,
  ctx: ProviderContext<any>,
  kind: HoldActionKind,
  attempt: AttemptRow,
): Promise<CaptureResult> {
  if (kind === 'void') return provider.cancel(ctx, attemptRef(attempt));
  if (!provider.capture) return { state: 'failed', message: `${provider.name} has no capture API: capture in the provider cabinet` };
  return provider.capture(ctx, attemptRef(attempt), attempt.amountMinor);
}

/** A call that threw: the provider's own refusal failed it; a timeout or an answer that does not say is unknown. */
function outcomeOfError(err: unknown): { state: 'failed' | 'unknown'; message: string } {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof ProviderTimeoutError) return { state: 'unknown', message };
  if (err instanceof ProviderError && !err.code.endsWith('_outcome_unknown')) return { state: 'failed', message };
  return { state: 'unknown', message };
}

/** An action whose outcome was unknown, settled by the attempt's status after the query (decide-hold-action.ts). */
async function settleFromStatus(deps: VerifyDeps, action: HoldActionRow, actor: string): Promise<HoldActionRow> {
  if (action.state !== 'unknown' && action.state !== 'pending') return action;
  const attempt = await deps.store.run((tx) => loadAttempt(tx, action.attemptId));
  const settled = attempt ? settledByStatus(action.kind, attempt.status) : undefined;
  if (!settled) return action;
  const message =
    settled === 'failed'
      ? `the ${action.kind} did not go through: the provider still reports the attempt as ${attempt!.status}${action.error ? ` (${action.error})` : ''}`
      : action.error;
  return settleHoldAction(deps, { actionId: action.id, state: settled, message, actor });
}

/**
 * A capture or void of held funds (docs/architecture.md, Hold and capture): reserved, the provider
 * called exactly once (never retried), the answer recorded, then a status query, because only the
 * provider's reported status moves the ledger: paid when the capture shows, closed when the release
 * does. A timeout is settled by that query (or a later one of the reconciler). Returns undefined
 * when an automatic action for this attempt was already made.
 */
export async function moveHold(
  deps: VerifyDeps,
  input: { attemptId: string; accountId?: number; kind: HoldActionKind; actor: string; auto: boolean },
): Promise<HoldActionRow | undefined> {
  const action = await reserveHoldAction(deps, input);
  if (!action) return undefined;
  const attempt = (await deps.store.run((tx) => loadAttempt(tx, input.attemptId)))!;
  const { provider, ctx } = await deps.providers.context(attempt.accountId, attempt.provider);
  let settled: HoldActionRow;
  try {
    const result = await callProvider(provider, ctx, input.kind, attempt);
    settled = await settleHoldAction(deps, { actionId: action.id, state: result.state, message: result.message, actor: input.actor });
  } catch (err) {
    const outcome = outcomeOfError(err);
    deps.logger.warn(`hold ${input.kind}: ${outcome.state === 'unknown' ? 'outcome unknown; a status query decides' : 'refused'}`, {
      attemptId: attempt.id,
      provider: attempt.provider,
      error: outcome.message,
    });
    // Never sent, and an admin is waiting for the answer: nothing changed, they can simply try again.
    const review = !(err instanceof ProviderUnreachableError && !input.auto);
    settled = await settleHoldAction(deps, { actionId: action.id, ...outcome, actor: input.actor, review });
  }
  await forgetStatusQuery(deps.store, attempt.id);
  await verifyAttempt(deps, attempt.id, `${input.actor}:${input.kind}`);
  return settleFromStatus(deps, settled, input.actor);
}

/**
 * What the server does by itself about an attempt's hold (rules/hold-follow-up.ts): capture at once
 * (auto), release it (the payment was cancelled or paid otherwise), or leave it to an admin. Each
 * automatic action happens at most once per attempt. Never throws: a refusal is logged.
 */
export async function followUpHold(deps: VerifyDeps, attemptId: string): Promise<void> {
  const found = await deps.store.run(function* (tx) {
    const attempt = yield* loadAttempt(tx, attemptId);
    if (!attempt || attempt.status !== 'authorized') return undefined;
    return { attempt, payment: yield* loadPayment(tx, attempt.paymentId) };
  });
  if (!found) return;
  const move = holdFollowUp(paymentStateOf(found.payment), attemptStateOf(found.attempt));
  if (move === 'wait') return;
  try {
    await moveHold(deps, { attemptId, kind: move, actor: 'system', auto: true });
  } catch (err) {
    deps.logger.warn('hold follow-up not made', {
      attemptId,
      move,
      code: isAppError(err) ? err.code : undefined,
      error: (err as Error).message,
    });
  }
}

/** A status query, then whatever a hold it reported calls for: the one entry every path that verifies an attempt uses. */
export async function verifyAndFollowUp(deps: VerifyDeps, attemptId: string, actor: string): Promise<VerifyResult> {
  const result = await verifyAttempt(deps, attemptId, actor);
  await followUpHold(deps, attemptId);
  return result;
}

/** A manager cancelled the payment: funds held for it are released at the provider (CancelPayment, reverse.do). */
export async function releaseHoldsOf(deps: VerifyDeps, paymentId: string): Promise<void> {
  for (const a of await deps.store.run((tx) => loadAttempts(tx, paymentId))) if (a.status === 'authorized') await followUpHold(deps, a.id);
}

/** An admin's Capture or Void (POST /api/v1/payments/:id/capture|void) of the payment's held funds. */
export async function moveHeldFundsOf(
  deps: VerifyDeps,
  input: { paymentId: string; accountId: number; kind: HoldActionKind; actor: string },
): Promise<HoldActionRow> {
  const attempt = await deps.store.run(function* (tx) {
    yield* loadPayment(tx, input.paymentId, input.accountId);
    return yield* heldAttempt(tx, input.paymentId);
  });
  const action = await moveHold(deps, {
    attemptId: attempt?.id ?? '',
    accountId: input.accountId,
    kind: input.kind,
    actor: input.actor,
    auto: false,
  });
  return action!;
}
