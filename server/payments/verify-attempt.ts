import type { Logger } from '../logging/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { ProviderConfigStore } from '../providers/provider-configs.ts';
import type { AttemptRef } from '../providers/provider.ts';
import { applyProviderFactInTx } from './apply-provider-fact.ts';
import type { LedgerDeps } from './deps.ts';
import { insertInboxRow } from './inbox.ts';
import { loadAttempt } from './load-payment.ts';
import type { AttemptRow } from './payment-state.ts';
import type { Decision } from './rules/state.ts';
import { claimStatusQuery, recordStatusQueryError } from './status-ration.ts';

export interface VerifyDeps extends LedgerDeps {
  providers: ProviderConfigStore;
  logger: Logger;
  metrics?: Metrics;
}

export function attemptRef(a: AttemptRow): AttemptRef {
  return {
    attemptId: a.id,
    providerOrderNo: a.providerOrderNo,
    providerPaymentId: a.providerPaymentId,
    amountMinor: a.amountMinor,
    currency: a.currency,
  };
}

export type VerifyResult =
  | { kind: 'applied'; decision: Decision }
  | { kind: 'not_supported' }
  | { kind: 'error'; code: string; message: string }
  /** Asked less than 15 s ago (status-ration.ts): the ledger holds that answer; nothing was sent. */
  | { kind: 'rationed'; queriedAt: number };

/**
 * Asks the provider what happened to an attempt and applies the answer (a status query is our own
 * authenticated question, so its answer is proof once order number, amount and currency match). Each distinct answer is kept in
 * the inbox once; the fact and the inbox row commit together.
 */
export async function verifyAttempt(deps: VerifyDeps, attemptId: string, actor: string): Promise<VerifyResult> {
  const attempt = await deps.store.run((tx) => loadAttempt(tx, attemptId));
  if (!attempt) return { kind: 'error', code: 'attempt_not_found', message: `No attempt ${attemptId}` };
  const { provider, ctx } = await deps.providers.context(attempt.accountId, attempt.provider);
  if (!provider.caps.statusQuery) return { kind: 'not_supported' };
  // At most one query per attempt per 15 s, whoever asks: meanwhile the last answer stands.
  const slot = await claimStatusQuery(deps.store, attempt.id, deps.clock.now());
  if (!slot.claimed) return slot.error ? { kind: 'error', ...slot.error } : { kind: 'rationed', queriedAt: slot.queriedAt };
  let fact;
  try {
    fact = await provider.queryStatus(ctx, attemptRef(attempt));
  } catch (err) {
    const e = err as { code?: string; message?: string };
    deps.logger.warn('status query failed', { provider: attempt.provider, attemptId, code: e.code, error: err });
    const failure = { code: e.code ?? 'status_query_failed', message: e.message ?? String(err) };
    await recordStatusQueryError(deps.store, attempt.id, failure);
    return { kind: 'error', ...failure };
  }
  const now = deps.clock.now();
  const decision = await deps.store.transaction(function* (tx) {
    const d = yield* applyProviderFactInTx(tx, now, { attemptId: attempt.id, fact, actor });
    // Each distinct answer is kept once, with what it did; a repeated answer adds no row.
    yield* insertInboxRow(tx, {
      accountId: attempt.accountId,
      provider: attempt.provider,
      dedupeKey: `status:${attempt.id}:${fact.status}:${fact.rawStatus}:${fact.amountMinor ?? ''}:${fact.refundedTotalMinor ?? ''}`,
      kind: 'status_query',
      authenticated: true,
      attemptId: attempt.id,
      paymentId: attempt.paymentId,
      raw: JSON.stringify({ fact }),
      fact: JSON.stringify(fact),
      state: d.events.length ? 'applied' : 'ignored',
      outcome: d.outcome,
      receivedAt: now,
      processedAt: now,
    });
    return d;
  });
  return { kind: 'applied', decision };
}
