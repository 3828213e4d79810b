import { and, eq, sql } from 'drizzle-orm';
import { ph, prepared } from '../db/prepared.ts';
import { providerEvents } from '../db/schema.ts';
import type { Tx } from '../db/tx.ts';

export type InboxRow = typeof providerEvents.$inferSelect;

/**
 * The provider-event inbox: every notification, return, precheck and distinct status-query answer,
 * raw, with its dedupe key. Inserting returns undefined for a duplicate, so callers apply a
 * notification's fact only once however many copies arrive.
 */
export function insertInboxRow(tx: Tx, row: Omit<typeof providerEvents.$inferInsert, 'id'>): { id: number } | undefined {
  const p = (name: keyof typeof row) => sql.placeholder(name);
  return prepared(tx, 'inbox.insert', () =>
    tx
      .insert(providerEvents)
      .values({
        accountId: p('accountId'),
        provider: p('provider'),
        dedupeKey: p('dedupeKey'),
        kind: p('kind'),
        authenticated: p('authenticated'),
        attemptId: p('attemptId'),
        paymentId: p('paymentId'),
        raw: p('raw'),
        fact: p('fact'),
        state: p('state'),
        outcome: p('outcome'),
        error: p('error'),
        receivedAt: p('receivedAt'),
        processedAt: p('processedAt'),
      })
      .onConflictDoNothing()
      // The id alone: reading the stored raw record back costs as much as writing it.
      .returning({ id: providerEvents.id })
      .prepare(),
  ).get({
    attemptId: null,
    paymentId: null,
    fact: null,
    outcome: null,
    error: null,
    processedAt: null,
    ...row,
    // SQLite stores booleans as integers; placeholders bypass drizzle's mapping.
    authenticated: row.authenticated ? 1 : 0,
  });
}

export function finishInboxRow(
  tx: Tx,
  id: number,
  input: { state: InboxRow['state']; outcome: string; error?: string | null; now: number },
): void {
  prepared(tx, 'inbox.finish', () =>
    tx
      .update(providerEvents)
      .set({ state: ph('state'), outcome: ph('outcome'), error: ph('error'), processedAt: ph('now') })
      .where(eq(providerEvents.id, sql.placeholder('id')))
      .prepare(),
  ).run({ id, state: input.state, outcome: input.outcome, error: input.error ?? null, now: input.now });
}

/** Whether this provider event was already stored (duplicates of one notification share the key). */
export function inboxRowExists(tx: Tx, accountId: number, provider: string, dedupeKey: string): boolean {
  return !!prepared(tx, 'inbox.exists', () =>
    tx
      .select({ id: providerEvents.id })
      .from(providerEvents)
      .where(
        and(
          eq(providerEvents.accountId, sql.placeholder('accountId')),
          eq(providerEvents.provider, sql.placeholder('provider')),
          eq(providerEvents.dedupeKey, sql.placeholder('dedupeKey')),
        ),
      )
      .prepare(),
  ).get({ accountId, provider, dedupeKey });
}

/** Rows stored but never finished (the process died between commit steps, or applying threw). */
export function stuckInboxRows(db: Tx, olderThan: number, limit = 100): InboxRow[] {
  return db
    .select()
    .from(providerEvents)
    .where(and(sql`${providerEvents.state} IN ('received', 'processing')`, sql`${providerEvents.receivedAt} <= ${olderThan}`))
    .limit(limit)
    .all();
}
