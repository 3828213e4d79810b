import { asc, eq, lt, sql } from 'drizzle-orm';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Step } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';

/** An account's OAuth pair, opened. `version` grows on every write so a waiter can tell a new pair from the one it saw. */
export interface StoredTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  version: number;
  /** When this pair was stored (the install or the last refresh). */
  updatedAt: number;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds, as amoCRM answers (`expires_in`). */
  expiresIn: number;
}

export function* readTokens(tx: Tx, box: SecretBox, accountId: number): Step<StoredTokens | undefined> {
  const { tokens } = tx.t;
  const row = yield* tx.get(tx.select().from(tokens).where(eq(tokens.accountId, accountId)));
  if (!row) return undefined;
  return {
    accessToken: box.open(row.accessTokenSealed),
    refreshToken: box.open(row.refreshTokenSealed),
    expiresAt: row.expiresAt,
    version: row.version,
    updatedAt: row.updatedAt,
  };
}

/** Accounts whose pair was last stored before `before` (the keep-alive sweep's candidates), oldest first. */
export function* accountsWithTokensStoredBefore(tx: Tx, before: number, limit: number): Step<number[]> {
  const { tokens } = tx.t;
  const rows = yield* tx.all(
    tx
      .select({ accountId: tokens.accountId })
      .from(tokens)
      .where(lt(tokens.updatedAt, before))
      .orderBy(asc(tokens.updatedAt), asc(tokens.accountId))
      .limit(limit),
  );
  return rows.map((r) => r.accountId);
}

/** When the account's pair was stored and until when its access token is valid, without opening it. */
export function* tokenTimes(tx: Tx, accountId: number): Step<{ updatedAt: number; expiresAt: number; version: number } | undefined> {
  const { tokens } = tx.t;
  return yield* tx.get(
    tx
      .select({ updatedAt: tokens.updatedAt, expiresAt: tokens.expiresAt, version: tokens.version })
      .from(tokens)
      .where(eq(tokens.accountId, accountId)),
  );
}

/** Stores a new pair sealed, bumping the version; call inside the caller's transaction. Returns the new version. */
export function* writeTokens(tx: Tx, box: SecretBox, accountId: number, pair: TokenPair, now: number): Step<number> {
  const { tokens } = tx.t;
  const sealed = {
    accessTokenSealed: box.seal(pair.accessToken),
    refreshTokenSealed: box.seal(pair.refreshToken),
    expiresAt: now + pair.expiresIn * 1000,
    updatedAt: now,
  };
  // One statement: a concurrent write (another instance) cannot read the same version and bump it to the same number.
  const row = yield* tx.get(
    tx
      .insert(tokens)
      .values({ accountId, ...sealed, version: 1 })
      .onConflictDoUpdate({ target: tokens.accountId, set: { ...sealed, version: sql`${tokens.version} + 1` } })
      .returning({ version: tokens.version }),
  );
  return row!.version;
}

export function* deleteTokens(tx: Tx, accountId: number): Step<void> {
  yield* tx.run(tx.delete(tx.t.tokens).where(eq(tx.t.tokens.accountId, accountId)));
}

export function* tokenVersion(tx: Tx, accountId: number): Step<number | undefined> {
  const { tokens } = tx.t;
  return (yield* tx.get(tx.select({ version: tokens.version }).from(tokens).where(eq(tokens.accountId, accountId))))?.version;
}
