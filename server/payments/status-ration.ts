import type { Db } from '../db/database.ts';

/** At most one status query per attempt in this window, whoever asks (webhook, pay page, reconciler, manager). */
export const STATUS_QUERY_INTERVAL_MS = 15_000;

export type StatusSlot =
  | { claimed: true }
  /** Asked within the window: the ledger holds that answer; `error` when that query failed. */
  | { claimed: false; queriedAt: number; error?: { code: string; message: string } };

/**
 * Claims the right to ask the provider about an attempt now. Shared through the database, so
 * every process agrees: the claim is one conditional upsert, and only one caller in a window wins.
 * Unauthenticated requests (returns, unsigned callbacks, a reloading pay page) then cost the
 * merchant at most four queries a minute per attempt, never one per request.
 */
export function claimStatusQuery(db: Db, attemptId: string, now: number): StatusSlot {
  const sqlite = db.$client;
  const won = sqlite
    .prepare(
      `INSERT INTO status_queries (attempt_id, queried_at, error_code, error_message) VALUES (?, ?, NULL, NULL)
       ON CONFLICT(attempt_id) DO UPDATE SET queried_at = excluded.queried_at, error_code = NULL, error_message = NULL
       WHERE status_queries.queried_at <= ?`,
    )
    .run(attemptId, now, now - STATUS_QUERY_INTERVAL_MS).changes;
  if (won === 1) return { claimed: true };
  const row = sqlite.prepare('SELECT queried_at, error_code, error_message FROM status_queries WHERE attempt_id = ?').get(attemptId) as
    { queried_at: number; error_code: string | null; error_message: string | null } | undefined;
  if (!row) return { claimed: true };
  return {
    claimed: false,
    queriedAt: row.queried_at,
    ...(row.error_code ? { error: { code: row.error_code, message: row.error_message ?? '' } } : {}),
  };
}

/** Remembers that the claimed query failed, so callers within the window get the same answer. */
export function recordStatusQueryError(db: Db, attemptId: string, error: { code: string; message: string }): void {
  db.$client
    .prepare('UPDATE status_queries SET error_code = ?, error_message = ? WHERE attempt_id = ?')
    .run(error.code, error.message.slice(0, 500), attemptId);
}
