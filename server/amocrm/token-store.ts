import { asc, eq, lt } from 'drizzle-orm';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Db } from '../db/database.ts';
import { tokens } from '../db/schema.ts';

type Reader = Pick<Db, 'select'>;
type Writer = Pick<Db, 'insert' | 'update' | 'delete' | 'select'>;

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

export function readTokens(db: Reader, box: SecretBox, accountId: number): StoredTokens | undefined {
  const row = db.select().from(tokens).where(eq(tokens.accountId, accountId)).get();
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
export function accountsWithTokensStoredBefore(db: Reader, before: number, limit: number): number[] {
  return db
    .select({ accountId: tokens.accountId })
    .from(tokens)
    .where(lt(tokens.updatedAt, before))
    .orderBy(asc(tokens.updatedAt))
    .limit(limit)
    .all()
    .map((r) => r.accountId);
}

/** When the account's pair was stored and until when its access token is valid, without opening it. */
export function tokenTimes(db: Reader, accountId: number): { updatedAt: number; expiresAt: number; version: number } | undefined {
  return db
    .select({ updatedAt: tokens.updatedAt, expiresAt: tokens.expiresAt, version: tokens.version })
    .from(tokens)
    .where(eq(tokens.accountId, accountId))
    .get();
}

/** Stores a new pair sealed, bumping the version; call inside the caller's transaction. Returns the new version. */
export function writeTokens(tx: Writer, box: SecretBox, accountId: number, pair: TokenPair, now: number): number {
  const sealed = {
    accessTokenSealed: box.seal(pair.accessToken),
    refreshTokenSealed: box.seal(pair.refreshToken),
    expiresAt: now + pair.expiresIn * 1000,
    updatedAt: now,
  };
  const existing = tx.select({ version: tokens.version }).from(tokens).where(eq(tokens.accountId, accountId)).get();
  if (!existing) {
    tx.insert(tokens)
      .values({ accountId, ...sealed, version: 1 })
      .run();
    return 1;
  }
  const version = existing.version + 1;
  tx.update(tokens)
    .set({ ...sealed, version })
    .where(eq(tokens.accountId, accountId))
    .run();
  return version;
}

export function deleteTokens(tx: Writer, accountId: number): void {
  tx.delete(tokens).where(eq(tokens.accountId, accountId)).run();
}

export function tokenVersion(db: Reader, accountId: number): number | undefined {
  return db.select({ version: tokens.version }).from(tokens).where(eq(tokens.accountId, accountId)).get()?.version;
}
