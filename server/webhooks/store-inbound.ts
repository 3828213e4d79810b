import type { Decision } from '../payments/rules/state.ts';
import type { Step } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';
import { applyProviderFactInTx } from '../payments/apply-provider-fact.ts';
import { inboxRowExists, insertInboxRow } from '../payments/inbox.ts';
import type { AttemptRow } from '../payments/payment-state.ts';
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
  const headers: Record<string, string> = {};
  for (const h of KEPT_HEADERS) if (req.headers[h] !== undefined) headers[h] = req.headers[h];
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
 * In the caller's ONE transaction (the ingest's): dedupe, apply an authenticated fact, and store the
 * inbox row with its outcome, so a row is never stored without its effect. An unknown order or an
 * unauthenticated claim is stored for support and changes nothing. Two copies at once (two
 * instances): the second waits on the payment's row lock, finds the fact already applied (no
 * event) and its inbox row a duplicate of the first's (the unique key), so it changes nothing.
 */
export function* storeInbound(
  tx: Tx,
  input: {
    accountId: number;
    providerName: string;
    req: InboundRequest;
    parsed: ParsedInbound;
    attempt: AttemptRow | undefined;
    now: number;
  },
): Step<StoreOutcome> {
  const { accountId, providerName, parsed, attempt, now } = input;
  if (yield* inboxRowExists(tx, accountId, providerName, parsed.dedupeKey)) return { duplicate: true };
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
    return (yield* store('ignored', 'unknown_order')) ? { duplicate: false, unknownOrder: true } : { duplicate: true };
  }
  if (!parsed.authenticated || !parsed.fact) {
    return (yield* store('ignored', 'unauthenticated_claim')) ? { duplicate: false } : { duplicate: true };
  }
  // The attempt was read by its reference inside this same transaction (the group commit's savepoint).
  const decision = yield* applyProviderFactInTx(tx, now, {
    attemptId: attempt.id,
    attemptRow: attempt,
    fact: parsed.fact,
    actor: `provider:${providerName}`,
  });
  // A copy stored by another instance meanwhile: the fact it carried is applied once (the rules saw it), the row kept once.
  if (!(yield* store(decision.events.length ? 'applied' : 'ignored', decision.outcome))) return { duplicate: true };
  return { duplicate: false, decision };
}
