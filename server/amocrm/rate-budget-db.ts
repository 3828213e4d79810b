import { randomUUID } from 'node:crypto';
import { and, eq, like } from 'drizzle-orm';
import { AMOCRM_MAX_RPS } from '../config/config.ts';
import type { Db } from '../db/database.ts';
import { leases } from '../db/schema.ts';
import type { Clock } from '../platform/clock.ts';
import { WINDOW_MS, type RateBudget, type RatePermit } from './rate-budget.ts';
import type { Sleep } from './sleep.ts';

/** A slot held by a request whose process died frees itself after this long. */
const IN_FLIGHT_MAX_MS = 60_000;
/** How often a waiter looks again while every slot is held by an unanswered request. */
const POLL_MS = 25;

const slotName = (accountId: number, i: number) => `amocrm-rate:${accountId}:${i}`;
const pauseName = (accountId: number) => `amocrm-rate-pause:${accountId}`;

type Taken = { slot: number } | { waitMs: number };

/** One look at the account's slots, in one immediate transaction: a free slot taken, or how long to wait. */
function tryTake(db: Db, input: { accountId: number; token: string; now: number; limit: number }): Taken {
  const { accountId, now } = input;
  return db.transaction(
    (tx) => {
      const pause = tx
        .select()
        .from(leases)
        .where(eq(leases.name, pauseName(accountId)))
        .get();
      if (pause && pause.expiresAt > now) return { waitMs: pause.expiresAt - now };
      const rows = tx
        .select()
        .from(leases)
        .where(like(leases.name, `amocrm-rate:${accountId}:%`))
        .all();
      const byName = new Map(rows.map((r) => [r.name, r]));
      for (let i = 0; i < input.limit; i++) {
        const row = byName.get(slotName(accountId, i));
        if (row && row.expiresAt > now) continue;
        const values = { name: slotName(accountId, i), holder: `inflight:${input.token}`, expiresAt: now + IN_FLIGHT_MAX_MS };
        tx.insert(leases)
          .values(values)
          .onConflictDoUpdate({ target: leases.name, set: { holder: values.holder, expiresAt: values.expiresAt } })
          .run();
        return { slot: i };
      }
      const timed = rows.filter((r) => r.holder.startsWith('done:') && r.expiresAt > now).map((r) => r.expiresAt);
      return { waitMs: timed.length > 0 ? Math.min(...timed) - now : POLL_MS };
    },
    { behavior: 'immediate' },
  );
}

/** The slot stays taken for one window after the answer, as the in-process budget counts it. */
function permitFor(db: Db, clock: Clock, accountId: number, slot: number, token: string): RatePermit {
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      db.update(leases)
        .set({ holder: `done:${token}`, expiresAt: clock.now() + WINDOW_MS })
        .where(and(eq(leases.name, slotName(accountId, slot)), eq(leases.holder, `inflight:${token}`)))
        .run();
    },
  };
}

/** A 429 pause only ever extends. */
function extendPause(db: Db, accountId: number, until: number): void {
  db.transaction(
    (tx) => {
      const row = tx
        .select()
        .from(leases)
        .where(eq(leases.name, pauseName(accountId)))
        .get();
      if (row && row.expiresAt >= until) return;
      tx.insert(leases)
        .values({ name: pauseName(accountId), holder: 'amocrm-429', expiresAt: until })
        .onConflictDoUpdate({ target: leases.name, set: { expiresAt: until } })
        .run();
    },
    { behavior: 'immediate' },
  );
}

/**
 * The per-account budget shared by every process on this database (several server instances on
 * one database file): `rps` slot rows per account in the leases table. A request takes a free slot
 * while it is in flight and leaves it taken until one window after its answer, exactly as the
 * in-process budget counts, so every rolling second amoCRM can measure stays at or under the limit
 * however many server processes share the account. A 429 pause is a lease row too.
 */
export function createDbRateBudget(opts: { db: Db; rps: number; clock: Clock; sleep: Sleep }): RateBudget {
  const { db, clock, sleep } = opts;
  const limit = Math.max(1, Math.min(Math.floor(opts.rps), AMOCRM_MAX_RPS));
  return {
    async acquire(accountId): Promise<RatePermit> {
      const token = randomUUID();
      for (;;) {
        const got = tryTake(db, { accountId, token, now: clock.now(), limit });
        if ('slot' in got) return permitFor(db, clock, accountId, got.slot, token);
        await sleep(Math.max(1, got.waitMs));
      }
    },
    pause: (accountId, until) => extendPause(db, accountId, until),
    pausedUntil(accountId) {
      const row = db
        .select()
        .from(leases)
        .where(eq(leases.name, pauseName(accountId)))
        .get();
      return row && row.expiresAt > clock.now() ? row.expiresAt : 0;
    },
  };
}

/** What the account's budget holds now (for doctor): slots taken (in flight or inside their window) and a 429 pause. */
export function accountBudgetInUse(db: Pick<Db, 'select'>, accountId: number, now: number): { slots: number; pausedUntil: number | null } {
  const rows = db
    .select()
    .from(leases)
    .where(like(leases.name, `amocrm-rate:${accountId}:%`))
    .all();
  const pause = db
    .select()
    .from(leases)
    .where(eq(leases.name, pauseName(accountId)))
    .get();
  return { slots: rows.filter((r) => r.expiresAt > now).length, pausedUntil: pause && pause.expiresAt > now ? pause.expiresAt : null };
}
