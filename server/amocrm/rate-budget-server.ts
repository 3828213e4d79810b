import { randomUUID } from 'node:crypto';
import { and, eq, like, lte } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { leases } from '../db/schema.ts';
import type { Clock } from '../platform/clock.ts';
import { WINDOW_MS, type RateBudget, type RatePermit } from './rate-budget.ts';
import type { Sleep } from './sleep.ts';

/** A slot held by a request whose process died frees itself after this long. */
const IN_FLIGHT_MAX_MS = 60_000;
/** How often a waiter looks again while every slot is held by an unanswered request. */
const POLL_MS = 25;
/** A waiting account counts for the fair share while its waiter row is this fresh (refreshed on every look). */
const WAITER_TTL_MS = 2 * WINDOW_MS;

const SLOT_PREFIX = 'amocrm-server-rate:';
const WAIT_PREFIX = 'amocrm-server-wait:';
const PAUSE = 'amocrm-server-pause';

const slotName = (i: number) => `${SLOT_PREFIX}${i}`;
const waitName = (accountId: number, token: string) => `${WAIT_PREFIX}${accountId}:${token}`;
/** `inflight:<accountId>:<token>` or `done:<accountId>:<token>` → the account. */
const accountOfHolder = (holder: string) => Number(holder.split(':')[1]);

type Taken = { slot: number } | { waitMs: number };
type Row = typeof leases.$inferSelect;

/** How many slots one account may hold now: the limit shared among the accounts holding or waiting. */
export function fairShare(limit: number, activeAccounts: number): number {
  return Math.max(1, Math.ceil(limit / Math.max(1, activeAccounts)));
}

function slotsHeld(slots: Row[], now: number): Map<number, number> {
  const held = new Map<number, number>();
  for (const r of slots) if (r.expiresAt > now) held.set(accountOfHolder(r.holder), (held.get(accountOfHolder(r.holder)) ?? 0) + 1);
  return held;
}

/** One look, in one immediate transaction: a free slot within this account's fair share, or how long to wait. */
function tryTake(db: Db, input: { accountId: number; token: string; now: number; limit: number }): Taken {
  const { accountId, token, now, limit } = input;
  return db.transaction(
    (tx) => {
      const pause = tx.select().from(leases).where(eq(leases.name, PAUSE)).get();
      if (pause && pause.expiresAt > now) return { waitMs: pause.expiresAt - now };
      tx.delete(leases)
        .where(and(like(leases.name, `${WAIT_PREFIX}%`), lte(leases.expiresAt, now)))
        .run();
      const slots = tx
        .select()
        .from(leases)
        .where(like(leases.name, `${SLOT_PREFIX}%`))
        .all();
      const waiting = tx
        .select()
        .from(leases)
        .where(like(leases.name, `${WAIT_PREFIX}%`))
        .all();
      const held = slotsHeld(slots, now);
      const active = new Set<number>([accountId, ...held.keys(), ...waiting.map((w) => Number(w.name.split(':')[1]))]);
      const free = Array.from({ length: limit }, (_, i) => i).find((i) => !slots.some((r) => r.name === slotName(i) && r.expiresAt > now));
      if (free !== undefined && (held.get(accountId) ?? 0) < fairShare(limit, active.size)) {
        const values = { name: slotName(free), holder: `inflight:${accountId}:${token}`, expiresAt: now + IN_FLIGHT_MAX_MS };
        tx.insert(leases)
          .values(values)
          .onConflictDoUpdate({ target: leases.name, set: { holder: values.holder, expiresAt: values.expiresAt } })
          .run();
        tx.delete(leases)
          .where(eq(leases.name, waitName(accountId, token)))
          .run();
        return { slot: free };
      }
      const waiter = { name: waitName(accountId, token), holder: 'waiting', expiresAt: now + WAITER_TTL_MS };
      tx.insert(leases)
        .values(waiter)
        .onConflictDoUpdate({ target: leases.name, set: { expiresAt: waiter.expiresAt } })
        .run();
      const timed = slots.filter((r) => r.holder.startsWith('done:') && r.expiresAt > now).map((r) => r.expiresAt);
      // Until the first slot frees (always sooner than the waiter row's lifetime), or a short poll.
      return { waitMs: timed.length > 0 ? Math.min(...timed) - now : POLL_MS };
    },
    { behavior: 'immediate' },
  );
}

function permitFor(db: Db, clock: Clock, slot: number, holder: string): RatePermit {
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      db.update(leases)
        .set({ holder: holder.replace(/^inflight:/, 'done:'), expiresAt: clock.now() + WINDOW_MS })
        .where(and(eq(leases.name, slotName(slot)), eq(leases.holder, holder)))
        .run();
    },
  };
}

/**
 * AMOCRM_SERVER_RPS: the budget of the whole server, beside each account's (Kommo limits requests
 * by IP address, so several accounts on one server add up). Shared through the database like the
 * per-account budget (rate-budget-db.ts): `rps` slot rows, each taken while a request is in flight
 * and for one window after its answer. Fair between accounts: an account waiting for a slot leaves a
 * waiter row, and no account may hold more than its share (the limit divided among the accounts
 * holding or waiting), so one busy account cannot starve the others. A pause (a 429) holds every
 * account. `rps` is not capped at 7 here: it is the operator's number for the whole address.
 */
export function createDbServerBudget(opts: { db: Db; rps: number; clock: Clock; sleep: Sleep }): RateBudget {
  const { db, clock, sleep } = opts;
  const limit = Math.max(1, Math.floor(opts.rps));
  return {
    async acquire(accountId): Promise<RatePermit> {
      const token = randomUUID();
      for (;;) {
        const got = tryTake(db, { accountId, token, now: clock.now(), limit });
        if ('slot' in got) return permitFor(db, clock, got.slot, `inflight:${accountId}:${token}`);
        await sleep(Math.max(1, got.waitMs));
      }
    },
    pause(_accountId, until) {
      db.transaction(
        (tx) => {
          const row = tx.select().from(leases).where(eq(leases.name, PAUSE)).get();
          if (row && row.expiresAt >= until) return;
          tx.insert(leases)
            .values({ name: PAUSE, holder: 'amocrm-429', expiresAt: until })
            .onConflictDoUpdate({ target: leases.name, set: { expiresAt: until } })
            .run();
        },
        { behavior: 'immediate' },
      );
    },
    pausedUntil() {
      const row = db.select().from(leases).where(eq(leases.name, PAUSE)).get();
      return row && row.expiresAt > clock.now() ? row.expiresAt : 0;
    },
  };
}

/**
 * The per-account budget with the server's composed around it: a request first waits for its
 * account's slot, then for a server slot (so a server slot is never held while an account waits for
 * itself), and gives both back together. A 429 pauses both: on Kommo it is the address that is over.
 */
export function withServerBudget(account: RateBudget, server: RateBudget): RateBudget {
  return {
    async acquire(accountId) {
      const own = await account.acquire(accountId);
      let shared: RatePermit;
      try {
        shared = await server.acquire(accountId);
      } catch (err) {
        own.release();
        throw err;
      }
      return {
        release() {
          shared.release();
          own.release();
        },
      };
    },
    pause(accountId, until) {
      account.pause(accountId, until);
      server.pause(accountId, until);
    },
    pausedUntil: (accountId) => Math.max(account.pausedUntil(accountId), server.pausedUntil(accountId)),
  };
}

/** What the server budget holds now (for doctor): slots taken, accounts waiting, a 429 pause. */
export function serverBudgetInUse(db: Pick<Db, 'select'>, now: number): { slots: number; waiting: number; pausedUntil: number | null } {
  const rows = db.select().from(leases).where(like(leases.name, 'amocrm-server-%')).all();
  const live = rows.filter((r) => r.expiresAt > now);
  const pause = live.find((r) => r.name === PAUSE);
  return {
    slots: live.filter((r) => r.name.startsWith(SLOT_PREFIX)).length,
    waiting: new Set(live.filter((r) => r.name.startsWith(WAIT_PREFIX)).map((r) => r.name.split(':')[1])).size,
    pausedUntil: pause ? pause.expiresAt : null,
  };
}
