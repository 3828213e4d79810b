import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { usedTokenIds } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';

/** How often expired token ids are swept (they are useless once their token has expired). */
const SWEEP_EVERY_MS = 60_000;

/**
 * What a token id's use was:
 * - `first`: never seen within its lifetime;
 * - `reused`: seen before in a token of the same account and user, and this is its first reuse
 *   (the one worth a log line);
 * - `reused_again`: the same, once more;
 * - `foreign`: the id was seen in another account's or user's token: never accepted.
 */
export type JtiUse = 'first' | 'reused' | 'reused_again' | 'foreign';

export interface JtiStore {
  /** Records a token id until `expiresAtMs`, with whose token it was, and says what this use is. */
  consume(input: { jti: string; expiresAtMs: number; accountId: number; userId: number }): JtiUse;
}

/**
 * Disposable-token ids seen, in the shared database so every server instance agrees. One upsert
 * decides: a new id is inserted (uses = 1); a known one counts a use only when the account and user
 * match, so the returned count tells first, reused and foreign apart in one statement.
 */
export function createJtiStore(deps: { db: Db; clock: Clock }): JtiStore {
  let lastSweep = 0;
  return {
    consume({ jti, expiresAtMs, accountId, userId }) {
      const now = deps.clock.now();
      if (now - lastSweep >= SWEEP_EVERY_MS) {
        lastSweep = now;
        deps.db.delete(usedTokenIds).where(lt(usedTokenIds.expiresAt, now)).run();
      }
      const row = deps.db
        .insert(usedTokenIds)
        .values({ jti, expiresAt: expiresAtMs, accountId, userId, uses: 1 })
        .onConflictDoUpdate({
          target: usedTokenIds.jti,
          set: { uses: sql`${usedTokenIds.uses} + 1` },
          setWhere: and(eq(usedTokenIds.accountId, accountId), eq(usedTokenIds.userId, userId)),
        })
        .returning({ uses: usedTokenIds.uses })
        .get();
      if (!row) return 'foreign';
      return row.uses === 1 ? 'first' : row.uses === 2 ? 'reused' : 'reused_again';
    },
  };
}
