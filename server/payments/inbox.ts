import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { providerEvents } from '../db/schema.ts';
import type { Tx } from './commit-decision.ts';

export type InboxRow = typeof providerEvents.$inferSelect;

/**
 * The provider-event inbox: every notification, return, precheck and distinct status-query answer,
 * raw, with its dedupe key. Inserting returns undefined for a duplicate, so callers apply a
 * notification's fact only once however many copies arrive.
 */
export function insertInboxRow(
  tx: Tx | Db,
  row: Omit<typeof providerEvents.$inferInsert, 'id'>,
): InboxRow | undefined {
  return tx.insert(providerEvents).values(row).onConflictDoNothing().returning().get();
}

export function finishInboxRow(tx: Tx | Db, id: number, input: { state: InboxRow['state']; outcome: string; error?: string | null; now: number }): void {
  tx.update(providerEvents)
    .set({ state: input.state, outcome: input.outcome, error: input.error ?? null, processedAt: input.now })
    .where(eq(providerEvents.id, id))
    .run();
}

export function findInboxRow(db: Db, accountId: number, provider: string, dedupeKey: string): InboxRow | undefined {
  return db
    .select()
    .from(providerEvents)
    .where(and(eq(providerEvents.accountId, accountId), eq(providerEvents.provider, provider), eq(providerEvents.dedupeKey, dedupeKey)))
    .get();
}

/** Rows stored but never finished (the process died between commit steps, or applying threw). */
export function stuckInboxRows(db: Db, olderThan: number, limit = 100): InboxRow[] {
  return db
    .select()
    .from(providerEvents)
    .where(and(sql`${providerEvents.state} IN ('received', 'processing')`, sql`${providerEvents.receivedAt} <= ${olderThan}`))
    .limit(limit)
    .all();
}
