import { eq } from 'drizzle-orm';
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
  };
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
