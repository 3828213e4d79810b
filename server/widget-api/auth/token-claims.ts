import { eq } from 'drizzle-orm';
import type { Step } from '../../db/step.ts';
import type { Store } from '../../db/store.ts';
import type { Tx } from '../../db/tx.ts';
import type { Clock } from '../../platform/clock.ts';
import type { VerifiedToken } from './verify-token.ts';

/** At most this many distinct claim names are kept per account (amoCRM documents ten). */
const MAX_CLAIM_NAMES = 40;
/** A claim name longer than this is cut (a signed amoCRM token has short names). */
const MAX_NAME_LENGTH = 64;
/** An unchanged record is written again at most this often (to move `lastSeenAt`). */
const REFRESH_EVERY_MS = 60_000;

/**
 * What this account's disposable tokens looked like: facts amoCRM does not document, recorded so
 * the first real install can confirm or correct them (`npm run doctor`, GET /api/v1/diagnostics).
 * Never a token, a jti or a claim value: only names, lifetimes, counts and times.
 */
export interface TokenClaimsRecord {
  /** Every claim name seen, sorted. */
  claimNames: string[];
  /** `exp - iat` of the tokens seen, in seconds. */
  lifetimeSec: { min: number; max: number };
  /** Whether tokens came with the `is_admin` claim, without it, or both. */
  adminClaim: { present: boolean; absent: boolean };
  /** Requests that carried a jti already seen from the same account and user. */
  jtiReuses: number;
  firstSeenAt: number;
  lastSeenAt: number;
  lastReuseAt: number | null;
}

export function parseTokenClaimsRecord(text: string | undefined): TokenClaimsRecord | undefined {
  if (!text) return undefined;
  try {
    const r = JSON.parse(text) as Partial<TokenClaimsRecord>;
    if (!Array.isArray(r.claimNames) || !r.lifetimeSec || !r.adminClaim || typeof r.firstSeenAt !== 'number') return undefined;
    return r as TokenClaimsRecord;
  } catch {
    return undefined;
  }
}

/** The record of an account, or undefined when no widget call has been seen yet. */
export function* readTokenClaims(tx: Tx, accountId: number, opts: { lock?: boolean } = {}): Step<TokenClaimsRecord | undefined> {
  const { tokenClaims } = tx.t;
  const select = tx.select().from(tokenClaims).where(eq(tokenClaims.accountId, accountId));
  const row = yield* tx.get(opts.lock ? tx.forUpdate(select) : select);
  return parseTokenClaimsRecord(row?.data);
}

/** The record with one more token in it (pure). */
export function mergeToken(current: TokenClaimsRecord | undefined, token: VerifiedToken, reused: boolean, now: number): TokenClaimsRecord {
  const lifetime = Math.max(0, Math.round(token.exp - token.iat));
  const names = new Set(current?.claimNames ?? []);
  for (const name of token.claimNames) if (names.size < MAX_CLAIM_NAMES) names.add(name.slice(0, MAX_NAME_LENGTH));
  return {
    claimNames: [...names].sort(),
    lifetimeSec: {
      min: Math.min(current?.lifetimeSec.min ?? lifetime, lifetime),
      max: Math.max(current?.lifetimeSec.max ?? lifetime, lifetime),
    },
    adminClaim: {
      present: (current?.adminClaim.present ?? false) || token.adminClaim !== undefined,
      absent: (current?.adminClaim.absent ?? false) || token.adminClaim === undefined,
    },
    jtiReuses: (current?.jtiReuses ?? 0) + (reused ? 1 : 0),
    firstSeenAt: current?.firstSeenAt ?? now,
    lastSeenAt: now,
    lastReuseAt: reused ? now : (current?.lastReuseAt ?? null),
  };
}

const shapeOf = (r: TokenClaimsRecord) => JSON.stringify([r.claimNames, r.lifetimeSec, r.adminClaim, r.jtiReuses]);

export interface TokenClaimsRecorder {
  record(token: VerifiedToken, reused: boolean): Promise<void>;
}

/**
 * Records each verified token's shape. A token like the ones before it changes nothing, so the row
 * is written only when something new shows (a claim name, a lifetime, is_admin present or absent, a
 * reuse) or once a minute; the merge reads the stored row in the same transaction, so processes
 * sharing the database never lose each other's findings.
 */
export function createTokenClaimsRecorder(deps: { store: Store; clock: Clock }): TokenClaimsRecorder {
  const lastWritten = new Map<number, TokenClaimsRecord>();
  return {
    async record(token, reused) {
      const now = deps.clock.now();
      const seen = lastWritten.get(token.accountId);
      if (seen && !reused && now - seen.lastSeenAt < REFRESH_EVERY_MS && shapeOf(mergeToken(seen, token, false, now)) === shapeOf(seen)) {
        return;
      }
      const written = await deps.store.transaction(function* (tx) {
        const { tokenClaims } = tx.t;
        // Serialized per account (another instance records at the same moment): a merge never loses the other's.
        yield* tx.serialize(`token-claims:${token.accountId}`);
        const next = mergeToken(yield* readTokenClaims(tx, token.accountId), token, reused, now);
        yield* tx.run(
          tx
            .insert(tokenClaims)
            .values({ accountId: token.accountId, data: JSON.stringify(next), updatedAt: now })
            .onConflictDoUpdate({ target: tokenClaims.accountId, set: { data: JSON.stringify(next), updatedAt: now } }),
        );
        return next;
      });
      if (lastWritten.size > 10_000) lastWritten.clear();
      lastWritten.set(token.accountId, written);
    },
  };
}
