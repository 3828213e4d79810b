import { lt } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { usedTokenIds } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';

/** How often expired token ids are swept (they are useless once their token has expired). */
const SWEEP_EVERY_MS = 60_000;

export interface JtiStore {
  /** Records a token id until `expiresAtMs`; false when it was already recorded (a replay). */
  consume(jti: string, expiresAtMs: number): boolean;
}

/**
 * Disposable-token ids seen, in the shared database so every server instance agrees that a `jti`
 * is accepted once within its lifetime. The primary key makes the check-and-record one statement.
 */
export function createJtiStore(deps: { db: Db; clock: Clock }): JtiStore {
  let lastSweep = 0;
  return {
    consume(jti, expiresAtMs) {
      const now = deps.clock.now();
      if (now - lastSweep >= SWEEP_EVERY_MS) {
        lastSweep = now;
        deps.db.delete(usedTokenIds).where(lt(usedTokenIds.expiresAt, now)).run();
      }
      const res = deps.db.insert(usedTokenIds).values({ jti, expiresAt: expiresAtMs }).onConflictDoNothing().run();
      return res.changes > 0;
    },
  };
}
