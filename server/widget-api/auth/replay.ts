import { and, eq, lt, sql } from 'drizzle-orm';
import type { Step } from '../../db/step.ts';
import type { Store } from '../../db/store.ts';
import type { Tx } from '../../db/tx.ts';
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
  /**
   * Records a token id until `expiresAtMs`, with whose token it was, and says what this use is. A
   * reuse is counted on the row only with `countReuse` (the reuse is accepted); a refused one writes nothing.
   */
  consume(input: { jti: string; expiresAtMs: number; accountId: number; userId: number; countReuse: boolean }): Promise<JtiUse>;
}

/**
 * Disposable-token ids seen, in the shared database so every server instance agrees. A new id is
 * inserted (uses = 1, the primary key makes check-and-record one statement); a known one counts a
 * use only when the account and user match, so the returned count tells reused from reused again.
 */
/** One use of a token id: recorded in the database, so every instance sees every other's (one conditional statement each). */
function* consumeJti(
  tx: Tx,
  input: { jti: string; expiresAtMs: number; accountId: number; userId: number; countReuse: boolean },
): Step<JtiUse> {
  const { usedTokenIds } = tx.t;
  const { jti, accountId, userId } = input;
  const inserted = yield* tx.run(
    tx.insert(usedTokenIds).values({ jti, expiresAt: input.expiresAtMs, accountId, userId, uses: 1 }).onConflictDoNothing(),
  );
  if (inserted > 0) return 'first';
  const same = and(eq(usedTokenIds.jti, jti), eq(usedTokenIds.accountId, accountId), eq(usedTokenIds.userId, userId));
  if (!input.countReuse) {
    const seen = yield* tx.get(tx.select({ uses: usedTokenIds.uses }).from(usedTokenIds).where(same));
    return !seen ? 'foreign' : seen.uses === 1 ? 'reused' : 'reused_again';
  }
  const row = yield* tx.get(
    tx
      .update(usedTokenIds)
      .set({ uses: sql`${usedTokenIds.uses} + 1` })
      .where(same)
      .returning({ uses: usedTokenIds.uses }),
  );
  if (!row) return 'foreign';
  return row.uses === 2 ? 'reused' : 'reused_again';
}

export function createJtiStore(deps: { store: Store; clock: Clock }): JtiStore {
  let lastSweep = 0;
  return {
    async consume(input) {
      const now = deps.clock.now();
      if (now - lastSweep >= SWEEP_EVERY_MS) {
        lastSweep = now;
        await deps.store.run((tx) => tx.run(tx.delete(tx.t.usedTokenIds).where(lt(tx.t.usedTokenIds.expiresAt, now))));
      }
      return deps.store.run((tx) => consumeJti(tx, input));
    },
  };
}
