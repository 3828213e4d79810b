import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import { ph } from '../db/placeholder.ts';
import type { providerEvents } from '../db/schema.ts';
import type { Step } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';

export type InboxRow = typeof providerEvents.$inferSelect;

/**
 * The provider-event inbox: every notification, return, precheck and distinct status-query answer,
 * raw, with its dedupe key. Inserting returns undefined for a duplicate, so callers apply a
 * notification's fact only once however many copies arrive.
 */
export function* insertInboxRow(tx: Tx, row: Omit<typeof providerEvents.$inferInsert, 'id'>): Step<{ id: number } | undefined> {
  const { providerEvents } = tx.t;
  const p = (name: keyof typeof row) => sql.placeholder(name);
  const statement = tx.prepared('inbox.insert', () =>
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
  );
  return yield* tx.get(statement, {
    attemptId: null,
    paymentId: null,
    fact: null,
    outcome: null,
    error: null,
    processedAt: null,
    ...row,
    // Placeholders bypass drizzle's mapping: SQLite stores booleans as integers, PostgreSQL as booleans.
    authenticated: tx.dialect === 'sqlite' ? (row.authenticated ? 1 : 0) : row.authenticated,
  });
}

export function* finishInboxRow(
  tx: Tx,
  id: number,
  input: { state: InboxRow['state']; outcome: string; error?: string | null; now: number },
): Step<void> {
  const { providerEvents } = tx.t;
  const statement = tx.prepared('inbox.finish', () =>
    tx
      .update(providerEvents)
      .set({ state: ph('state'), outcome: ph('outcome'), error: ph('error'), processedAt: ph('now') })
      .where(eq(providerEvents.id, sql.placeholder('id')))
      .prepare(),
  );
  yield* tx.run(statement, { id, state: input.state, outcome: input.outcome, error: input.error ?? null, now: input.now });
}

/** Whether this provider event was already stored (duplicates of one notification share the key). */
export function* inboxRowExists(tx: Tx, accountId: number, provider: string, dedupeKey: string): Step<boolean> {
  const { providerEvents } = tx.t;
  const statement = tx.prepared('inbox.exists', () =>
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
  );
  return !!(yield* tx.get(statement, { accountId, provider, dedupeKey }));
}

/** Rows stored but never finished (the process died between commit steps, or applying threw). */
export function* stuckInboxRows(tx: Tx, olderThan: number, limit = 100): Step<InboxRow[]> {
  const { providerEvents } = tx.t;
  return yield* tx.all(
    tx
      .select()
      .from(providerEvents)
      .where(and(inArray(providerEvents.state, ['received', 'processing']), lte(providerEvents.receivedAt, olderThan)))
      .orderBy(providerEvents.id)
      .limit(limit),
  );
}
