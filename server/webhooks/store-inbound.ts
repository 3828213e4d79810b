import type { Decision } from '../payments/rules/state.ts';
import { atomic } from '../db/atomic.ts';
import { applyProviderFactInTx } from '../payments/apply-provider-fact.ts';
import type { findAttemptByRef } from '../payments/find-attempt.ts';
import { inboxRowExists, insertInboxRow } from '../payments/inbox.ts';
import type { VerifyDeps } from '../payments/verify-attempt.ts';
import type { InboundRequest, ParsedInbound } from '../providers/provider.ts';

export type StoreOutcome = { duplicate: true } | { duplicate: false; unknownOrder?: true; decision?: Decision };

/** Headers worth keeping beside the raw body of a verified request; signatures stay in the body/headers we verified. */
const KEPT_HEADERS = ['content-type', 'user-agent', 'webhook-id', 'webhook-timestamp', 'x-forwarded-for'];

/**
 * The most an unverified request may store (characters of the JSON record): anyone can send one,
 * so it must not be able to fill the disk. Enough to see what it claimed.
 */
export const UNVERIFIED_RAW_LIMIT = 2048;

function rawRecord(req: InboundRequest, authenticated: boolean): string {
  if (!authenticated) return boundedRecord(req);
  const headers = Object.fromEntries(KEPT_HEADERS.filter((h) => req.headers[h] !== undefined).map((h) => [h, req.headers[h]]));
  return JSON.stringify({ method: req.method, query: req.query, headers, body: req.rawBody.toString('utf8') });
}

/** Method, a few query values, the content type and the start of the body, in at most UNVERIFIED_RAW_LIMIT characters. */
function boundedRecord(req: InboundRequest): string {
  const query = Object.fromEntries(
    Object.entries(req.query)
      .slice(0, 20)
      .map(([k, v]) => [k.slice(0, 40), v.slice(0, 100)]),
  );
  const base = { method: req.method, query, contentType: req.headers['content-type']?.slice(0, 100), bodyBytes: req.rawBody.length };
  for (let keep = 1024; ; keep = Math.floor(keep / 2)) {
    const body = req.rawBody.subarray(0, keep).toString('utf8');
    const record = JSON.stringify({ ...base, body, truncated: req.rawBody.length > keep });
    if (record.length <= UNVERIFIED_RAW_LIMIT) return record;
    if (keep === 0) return JSON.stringify({ method: req.method, bodyBytes: req.rawBody.length, truncated: true });
  }
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
        raw: rawRecord(input.req, parsed.authenticated),
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
    // The attempt was read by its reference inside this same transaction (the group commit's savepoint).
    const decision = applyProviderFactInTx(tx, now, {
      attemptId: attempt.id,
      attemptRow: attempt,
      fact: parsed.fact,
      actor: `provider:${providerName}`,
    });
    store(decision.events.length ? 'applied' : 'ignored', decision.outcome);
    return { duplicate: false, decision };
  });
}
