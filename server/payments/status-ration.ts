import { and, eq, lte, sql } from 'drizzle-orm';
import type { Step } from '../db/step.ts';
import type { Store } from '../db/store.ts';

/** At most one status query per attempt in this window, whoever asks (webhook, pay page, reconciler, manager). */
export const STATUS_QUERY_INTERVAL_MS = 15_000;

export type StatusSlot =
  | { claimed: true }
  /** Asked within the window: the ledger holds that answer; `error` when that query failed. */
  | { claimed: false; queriedAt: number; error?: { code: string; message: string } };

/**
 * Claims the right to ask the provider about an attempt now. Shared through the database, so
 * every process agrees: the claim is one conditional upsert (atomic in both stores), and only one
 * caller in a window wins. Unauthenticated requests (returns, unsigned callbacks, a reloading pay
 * page) then cost the merchant at most four queries a minute per attempt, never one per request.
 */
export function claimStatusQuery(store: Store, attemptId: string, now: number): Promise<StatusSlot> {
  return store.run(function* (tx): Step<StatusSlot> {
    const { statusQueries } = tx.t;
    const won = yield* tx.run(
      tx
        .insert(statusQueries)
        .values({ attemptId, queriedAt: now, errorCode: null, errorMessage: null })
        .onConflictDoUpdate({
          target: statusQueries.attemptId,
          set: { queriedAt: sql`excluded.queried_at`, errorCode: null, errorMessage: null },
          setWhere: lte(statusQueries.queriedAt, now - STATUS_QUERY_INTERVAL_MS),
        }),
    );
    if (won === 1) return { claimed: true };
    const row = yield* tx.get(tx.select().from(statusQueries).where(eq(statusQueries.attemptId, attemptId)));
    if (!row) return { claimed: true };
    return {
      claimed: false,
      queriedAt: row.queriedAt,
      ...(row.errorCode ? { error: { code: row.errorCode, message: row.errorMessage ?? '' } } : {}),
    };
  });
}

/** Remembers that the claimed query failed, so callers within the window get the same answer. */
export async function recordStatusQueryError(store: Store, attemptId: string, error: { code: string; message: string }): Promise<void> {
  await store.run(function* (tx) {
    const { statusQueries } = tx.t;
    yield* tx.run(
      tx
        .update(statusQueries)
        .set({ errorCode: error.code, errorMessage: error.message.slice(0, 500) })
        .where(eq(statusQueries.attemptId, attemptId)),
    );
  });
}

/**
 * Our own capture or void just changed what the provider knows about the attempt: the answer held
 * for the window is stale, so the next query (the one that settles that call) may go at once.
 * Only the server's money-moving calls do this, never a stranger's request.
 */
export async function forgetStatusQuery(store: Store, attemptId: string): Promise<void> {
  await store.run(function* (tx) {
    yield* tx.run(tx.delete(tx.t.statusQueries).where(and(eq(tx.t.statusQueries.attemptId, attemptId))));
  });
}
