import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Store } from '../db/store.ts';
import type { Tables } from '../db/tx.ts';
import { createBackgroundLoop, type BackgroundLoop, type Timer } from '../platform/background-loop.ts';
import type { Clock } from '../platform/clock.ts';

/** Unverified inbox rows (unsigned claims, unknown orders) are kept this long for support, then deleted. */
export const UNVERIFIED_RETENTION_MS = 30 * 24 * 3_600_000;
const BATCH = 1000;
/** At most this many batches per pass, so one pass never holds the writer for long. */
const BATCHES_PER_PASS = 20;

/**
 * Deletes up to `limit` inbox rows that proved nothing and changed nothing (not authenticated,
 * state `ignored`) and arrived before `before`. Verified rows, and anything that was applied, are
 * the payment's evidence and are kept.
 */
const unverifiedBefore = ({ providerEvents }: Tables, before: number) =>
  and(eq(providerEvents.state, 'ignored'), eq(providerEvents.authenticated, false), lt(providerEvents.receivedAt, before));

export function deleteOldUnverifiedRows(store: Store, before: number, limit = BATCH): Promise<number> {
  return store.run(function* (tx) {
    const { providerEvents } = tx.t;
    const oldest = tx.select({ id: providerEvents.id }).from(providerEvents).where(unverifiedBefore(tx.t, before)).limit(limit);
    return yield* tx.run(tx.delete(providerEvents).where(inArray(providerEvents.id, oldest)));
  });
}

/** The background loop: once an hour, unverified rows older than 30 days go, a batch at a time. */
export function createInboxRetention(deps: {
  store: Store;
  clock: Clock;
  logger: {
    info(message: string, meta?: Record<string, unknown>): unknown;
    error(message: string, meta?: Record<string, unknown>): unknown;
  };
  timer?: Timer;
}): BackgroundLoop<number> {
  return createBackgroundLoop({
    name: 'inbox retention',
    intervalMs: 3_600_000,
    firstPassAfterMs: 60_000,
    logger: deps.logger,
    timer: deps.timer,
    pass: async () => {
      const before = deps.clock.now() - UNVERIFIED_RETENTION_MS;
      let deleted = 0;
      for (let i = 0; i < BATCHES_PER_PASS; i++) {
        const n = await deleteOldUnverifiedRows(deps.store, before);
        deleted += n;
        if (n < BATCH) break;
        // Let requests in between batches.
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (deleted) deps.logger.info('inbox retention: deleted unverified rows older than 30 days', { deleted });
      return deleted;
    },
  });
}

/** How many rows the retention would delete now (for tests and the operator). */
export function countOldUnverifiedRows(store: Store, before: number): Promise<number> {
  return store.run(function* (tx) {
    const row = yield* tx.get(
      tx
        .select({ n: sql<number>`count(*)` })
        .from(tx.t.providerEvents)
        .where(unverifiedBefore(tx.t, before)),
    );
    return row?.n ?? 0;
  });
}
