import { and, asc, eq, gte, inArray, lte, or, sql } from 'drizzle-orm';
import type { linkRequests } from '../db/schema.ts';
import type { Step } from '../db/step.ts';
import type { Store } from '../db/store.ts';
import type { Tx } from '../db/tx.ts';

/**
 * Links asked for by automation (docs/architecture.md, Links made by automation): the only module
 * with SQL on `link_requests`. A request is opened once per (account, source, key), claimed by the
 * runner like a sync job (FOR UPDATE SKIP LOCKED on PostgreSQL; the claim expires, so a dead
 * instance's request is taken again), and ends done (created, reused, skipped) or failed, with the reason.
 */
export type LinkRequestRow = typeof linkRequests.$inferSelect;
export type LinkSource = LinkRequestRow['source'];
export type LinkOutcome = NonNullable<LinkRequestRow['outcome']>;

export interface NewLinkRequest {
  accountId: number;
  source: LinkSource;
  requestKey: string;
  leadId: number;
  batchId?: string | null;
  params: object;
  now: number;
}

/** Opens the request, or finds the one already opened with this key (a duplicate or a retry): `created` says which. */
export function* openLinkRequest(tx: Tx, input: NewLinkRequest): Step<{ row: LinkRequestRow; created: boolean }> {
  const { linkRequests } = tx.t;
  const inserted = yield* tx.get(
    tx
      .insert(linkRequests)
      .values({
        accountId: input.accountId,
        source: input.source,
        requestKey: input.requestKey,
        leadId: input.leadId,
        batchId: input.batchId ?? null,
        params: JSON.stringify(input.params),
        state: 'received',
        nextRunAt: input.now,
        createdAt: input.now,
        updatedAt: input.now,
      })
      .onConflictDoNothing()
      .returning(),
  );
  if (inserted) return { row: inserted, created: true };
  const row = yield* tx.get(
    tx
      .select()
      .from(linkRequests)
      .where(
        and(
          eq(linkRequests.accountId, input.accountId),
          eq(linkRequests.source, input.source),
          eq(linkRequests.requestKey, input.requestKey),
        ),
      ),
  );
  return { row: row!, created: false };
}

/** Claims due requests (received and due, or in flight past an expired claim), oldest first; never one another instance is claiming. */
export function claimLinkRequests(store: Store, input: { now: number; limit: number; claimMs: number }): Promise<LinkRequestRow[]> {
  return store.transaction(function* (tx) {
    const { linkRequests } = tx.t;
    const rows = yield* tx.all(
      tx.skipLocked(
        tx
          .select()
          .from(linkRequests)
          .where(
            or(
              and(eq(linkRequests.state, 'received'), lte(linkRequests.nextRunAt, input.now)),
              and(eq(linkRequests.state, 'in_flight'), lte(linkRequests.claimedUntil, input.now)),
            ),
          )
          .orderBy(asc(linkRequests.id))
          .limit(input.limit),
      ),
    );
    if (rows.length === 0) return [];
    yield* tx.run(
      tx
        .update(linkRequests)
        .set({ state: 'in_flight', claimedUntil: input.now + input.claimMs, updatedAt: input.now })
        .where(
          inArray(
            linkRequests.id,
            rows.map((r) => r.id),
          ),
        ),
    );
    return rows.map((r) => ({ ...r, state: 'in_flight' as const, claimedUntil: input.now + input.claimMs }));
  });
}

/** Inside the settling transaction: the request as it is now, locked (another instance may have settled it). */
export function* currentLinkRequest(tx: Tx, id: number): Step<LinkRequestRow | undefined> {
  const { linkRequests } = tx.t;
  return yield* tx.get(tx.forUpdate(tx.select().from(linkRequests).where(eq(linkRequests.id, id))));
}

export function* finishLinkRequest(
  tx: Tx,
  id: number,
  input: { outcome: LinkOutcome; reason?: string | null; paymentId: string | null; now: number },
): Step<void> {
  const { linkRequests } = tx.t;
  yield* tx.run(
    tx
      .update(linkRequests)
      .set({
        state: 'done',
        outcome: input.outcome,
        reason: input.reason ?? null,
        paymentId: input.paymentId,
        claimedUntil: null,
        updatedAt: input.now,
      })
      .where(eq(linkRequests.id, id)),
  );
}

export function* failLinkRequest(tx: Tx, id: number, input: { reason: string; now: number }): Step<void> {
  const { linkRequests } = tx.t;
  yield* tx.run(
    tx
      .update(linkRequests)
      .set({ state: 'failed', reason: input.reason, claimedUntil: null, updatedAt: input.now })
      .where(eq(linkRequests.id, id)),
  );
}

/** amoCRM could not be asked: back to the queue after `delayMs`, one attempt counted. */
export function* retryLinkRequest(tx: Tx, id: number, input: { now: number; delayMs: number; reason: string }): Step<void> {
  const { linkRequests } = tx.t;
  yield* tx.run(
    tx
      .update(linkRequests)
      .set({
        state: 'received',
        attempts: sql`${linkRequests.attempts} + 1`,
        nextRunAt: input.now + input.delayMs,
        reason: input.reason,
        claimedUntil: null,
        updatedAt: input.now,
      })
      .where(and(eq(linkRequests.id, id), eq(linkRequests.state, 'in_flight'))),
  );
}

/** A bulk run's requests, in the order they were asked for. */
export function* batchLinkRequests(tx: Tx, accountId: number, batchId: string): Step<LinkRequestRow[]> {
  const { linkRequests } = tx.t;
  return yield* tx.all(
    tx
      .select()
      .from(linkRequests)
      .where(and(eq(linkRequests.accountId, accountId), eq(linkRequests.batchId, batchId)))
      .orderBy(asc(linkRequests.id)),
  );
}

/** What one source did for an account since `since`, by state, outcome and reason (doctor). */
export function* linkRequestCounts(
  tx: Tx,
  accountId: number,
  source: LinkSource,
  since: number,
): Step<Array<{ state: string; outcome: string | null; reason: string | null; n: number; last: number }>> {
  const { linkRequests } = tx.t;
  const rows = yield* tx.all(
    tx
      .select({
        state: linkRequests.state,
        outcome: linkRequests.outcome,
        reason: linkRequests.reason,
        n: sql<number>`count(*)`,
        last: sql<number>`max(${linkRequests.updatedAt})`,
      })
      .from(linkRequests)
      .where(and(eq(linkRequests.accountId, accountId), eq(linkRequests.source, source), gte(linkRequests.createdAt, since)))
      .groupBy(linkRequests.state, linkRequests.outcome, linkRequests.reason),
  );
  return rows.map((r) => ({ ...r, n: Number(r.n), last: Number(r.last) }));
}
