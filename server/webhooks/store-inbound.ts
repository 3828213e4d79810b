import type { Decision } from '../payments/rules/state.ts';
import { atomic } from '../db/atomic.ts';
import { applyProviderFactInTx } from '../payments/apply-provider-fact.ts';
import type { findAttemptByRef } from '../payments/find-attempt.ts';
import { inboxRowExists, insertInboxRow } from '../payments/inbox.ts';
import type { VerifyDeps } from '../payments/verify-attempt.ts';
import type { InboundRequest, ParsedInbound } from '../providers/provider.ts';

export type StoreOutcome = { duplicate: true } | { duplicate: false; unknownOrder?: true; decision?: Decision };

/** Headers worth keeping beside the raw body; signatures stay in the body/headers we verified. */
const KEPT_HEADERS = ['content-type', 'user-agent', 'webhook-id', 'webhook-timestamp', 'x-forwarded-for'];

function rawRecord(req: InboundRequest): string {
  const headers = Object.fromEntries(KEPT_HEADERS.filter((h) => req.headers[h] !== undefined).map((h) => [h, req.headers[h]]));
  return JSON.stringify({ method: req.method, query: req.query, headers, body: req.rawBody.toString('utf8') });
}

/**
 * In ONE synchronous transaction: dedupe, apply an authenticated fact, and store the inbox row with
 * its outcome, so a row is never stored without its effect. An unknown order or an unauthenticated
 * claim is stored for support and changes nothing.
 */
export function storeInbound(
  deps: VerifyDeps,
  input: {
    accountId: number;
    providerName: string;
    req: InboundRequest;
    parsed: ParsedInbound;
    attempt: ReturnType<typeof findAttemptByRef>;
    now: number;
  },
): StoreOutcome {
  const { accountId, providerName, parsed, attempt, now } = input;
  return atomic(deps.db, (tx): StoreOutcome => {
    if (inboxRowExists(tx, accountId, providerName, parsed.dedupeKey)) return { duplicate: true };
    const store = (state: 'applied' | 'ignored', outcome: string) =>
      insertInboxRow(tx, {
        accountId,
        provider: providerName,
        dedupeKey: parsed.dedupeKey,
        kind: parsed.kind,
        authenticated: parsed.authenticated,
        attemptId: attempt?.id ?? null,
        paymentId: attempt?.paymentId ?? null,
        raw: rawRecord(input.req),
        fact: parsed.fact ? JSON.stringify(parsed.fact) : null,
        state,
        outcome,
        receivedAt: now,
        processedAt: now,
      });
    if (!attempt) {
      store('ignored', 'unknown_order');
      return { duplicate: false, unknownOrder: true };
    }
    if (!parsed.authenticated || !parsed.fact) {
      store('ignored', 'unauthenticated_claim');
      return { duplicate: false };
    }
    const decision = applyProviderFactInTx(tx, now, { attemptId: attempt.id, fact: parsed.fact, actor: `provider:${providerName}` });
    store(decision.events.length ? 'applied' : 'ignored', decision.outcome);
    return { duplicate: false, decision };
  });
}
