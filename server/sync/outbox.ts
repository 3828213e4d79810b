import { sql } from 'drizzle-orm';
import { prepared } from '../db/prepared.ts';
import type { Db } from '../db/database.ts';
import { syncJobs } from '../db/schema.ts';

/**
 * Queues CRM writes in the caller's transaction, so a state change and the CRM writes it implies
 * commit together or not at all (design principle 3). The sync worker drains them later.
 */
type Tx = Pick<Db, 'insert' | 'update' | 'select'>;

/**
 * One lead update per lead: a newer change re-arms the same row and bumps its generation, so ten
 * events on one lead become one write carrying the latest state (read at send time).
 */
export function queueLeadUpdate(tx: Tx, input: { accountId: number; leadId: number; paymentId?: string | null; now: number }): void {
  const now = sql.placeholder('now');
  prepared(tx, 'outbox.queueLeadUpdate', () =>
    tx
      .insert(syncJobs)
      .values({
        accountId: sql.placeholder('accountId'),
        kind: 'lead_update',
        leadId: sql.placeholder('leadId'),
        paymentId: sql.placeholder('paymentId'),
        dedupeKey: sql.placeholder('dedupeKey'),
        payload: '{}',
        state: 'pending',
        nextRunAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: [syncJobs.accountId, syncJobs.dedupeKey],
        set: {
          // A newer state re-arms even a dead update: it is read fresh at send time and may now be accepted.
          state: sql`'pending'`,
          generation: sql`${syncJobs.generation} + 1`,
          paymentId: sql`coalesce(excluded.payment_id, ${syncJobs.paymentId})`,
          // A failing job keeps its back-off; a done or healthy one runs now.
          nextRunAt: sql`CASE WHEN ${syncJobs.state} IN ('done', 'dead') THEN excluded.next_run_at ELSE min(${syncJobs.nextRunAt}, excluded.next_run_at) END`,
          attempts: sql`CASE WHEN ${syncJobs.state} IN ('done', 'dead') THEN 0 ELSE ${syncJobs.attempts} END`,
          updatedAt: sql`excluded.updated_at`,
        },
      })
      .prepare(),
  ).run({
    accountId: input.accountId,
    leadId: input.leadId,
    paymentId: input.paymentId ?? null,
    dedupeKey: `lead:${input.leadId}`,
    now: input.now,
  });
}

/** A note is written once per event: the dedupe key is the event key, also carried as a marker in the text. */
export function queueNote(
  tx: Tx,
  input: { accountId: number; leadId: number; paymentId?: string | null; eventKey: string; text: string; now: number },
): void {
  const now = sql.placeholder('now');
  prepared(tx, 'outbox.queueNote', () =>
    tx
      .insert(syncJobs)
      .values({
        accountId: sql.placeholder('accountId'),
        kind: 'note',
        leadId: sql.placeholder('leadId'),
        paymentId: sql.placeholder('paymentId'),
        dedupeKey: sql.placeholder('dedupeKey'),
        payload: sql.placeholder('payload'),
        state: 'pending',
        nextRunAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .prepare(),
  ).run({
    accountId: input.accountId,
    leadId: input.leadId,
    paymentId: input.paymentId ?? null,
    dedupeKey: `note:${input.eventKey}`,
    payload: JSON.stringify({ eventKey: input.eventKey, text: input.text }),
    now: input.now,
  });
}

/** A task only for an exception, once per exception key. */
export function queueTask(
  tx: Tx,
  input: { accountId: number; leadId: number; paymentId?: string | null; exceptionKey: string; text: string; now: number },
): void {
  tx.insert(syncJobs)
    .values({
      accountId: input.accountId,
      kind: 'task',
      leadId: input.leadId,
      paymentId: input.paymentId ?? null,
      dedupeKey: `task:${input.exceptionKey}`,
      payload: JSON.stringify({ exceptionKey: input.exceptionKey, text: input.text }),
      state: 'pending',
      nextRunAt: input.now,
      createdAt: input.now,
      updatedAt: input.now,
    })
    .onConflictDoNothing()
    .run();
}
