import { randomUUID } from 'node:crypto';
import { and, eq, like, lte } from 'drizzle-orm';
import type { leases } from '../db/schema.ts';
import type { Step } from '../db/step.ts';
import type { Store } from '../db/store.ts';
import type { Tx } from '../db/tx.ts';
import type { Clock } from '../platform/clock.ts';
import { WINDOW_MS, type RateBudget, type RatePermit } from './rate-budget.ts';
import { extendPause, pauseEnd, slotPermit } from './rate-budget-db.ts';
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

/**
 * One look, in one transaction: a free slot within this account's fair share, or how long to wait.
 * One look at a time in every process (SQLite's IMMEDIATE transaction, a PostgreSQL advisory lock).
 */
function* tryTake(tx: Tx, input: { accountId: number; token: string; now: number; limit: number }): Step<Taken> {
  const { leases } = tx.t;
  const { accountId, token, now, limit } = input;
  yield* tx.serialize('amocrm-server-rate');
  const pausedUntil = yield* pauseEnd(tx, PAUSE, now);
  if (pausedUntil) return { waitMs: pausedUntil - now };
  yield* tx.run(tx.delete(leases).where(and(like(leases.name, `${WAIT_PREFIX}%`), lte(leases.expiresAt, now))));
  const slots = yield* tx.all(
    tx
      .select()
      .from(leases)
      .where(like(leases.name, `${SLOT_PREFIX}%`)),
  );
  const waiting = yield* tx.all(
    tx
      .select()
      .from(leases)
      .where(like(leases.name, `${WAIT_PREFIX}%`)),
  );
  const held = slotsHeld(slots, now);
  const active = new Set<number>([accountId, ...held.keys(), ...waiting.map((w) => Number(w.name.split(':')[1]))]);
  const free = Array.from({ length: limit }, (_, i) => i).find((i) => !slots.some((r) => r.name === slotName(i) && r.expiresAt > now));
  if (free !== undefined && (held.get(accountId) ?? 0) < fairShare(limit, active.size)) {
    const values = { name: slotName(free), holder: `inflight:${accountId}:${token}`, expiresAt: now + IN_FLIGHT_MAX_MS };
    yield* tx.run(
      tx
        .insert(leases)
        .values(values)
        .onConflictDoUpdate({ target: leases.name, set: { holder: values.holder, expiresAt: values.expiresAt } }),
    );
    yield* tx.run(tx.delete(leases).where(eq(leases.name, waitName(accountId, token))));
    return { slot: free };
  }
  const waiter = { name: waitName(accountId, token), holder: 'waiting', expiresAt: now + WAITER_TTL_MS };
  yield* tx.run(
    tx
      .insert(leases)
      .values(waiter)
      .onConflictDoUpdate({ target: leases.name, set: { expiresAt: waiter.expiresAt } }),
  );
  const timed = slots.filter((r) => r.holder.startsWith('done:') && r.expiresAt > now).map((r) => r.expiresAt);
  // Until the first slot frees (always sooner than the waiter row's lifetime), or a short poll.
  return { waitMs: timed.length > 0 ? Math.min(...timed) - now : POLL_MS };
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
export function createDbServerBudget(opts: { store: Store; rps: number; clock: Clock; sleep: Sleep }): RateBudget {
  const { store, clock, sleep } = opts;
  const limit = Math.max(1, Math.floor(opts.rps));
  return {
    async acquire(accountId): Promise<RatePermit> {
      const token = randomUUID();
      for (;;) {
        const got = await store.transaction((tx) => tryTake(tx, { accountId, token, now: clock.now(), limit }));
        if ('slot' in got) return slotPermit(store, clock, slotName(got.slot), `inflight:${accountId}:${token}`);
        await sleep(Math.max(1, got.waitMs));
      }
    },
    pause: (_accountId, until) => store.run((tx) => extendPause(tx, PAUSE, until)),
    pausedUntil: () => store.run((tx) => pauseEnd(tx, PAUSE, clock.now())),
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
        await own.release();
        throw err;
      }
      return {
        async release() {
          await Promise.all([shared.release(), own.release()]);
        },
      };
    },
    async pause(accountId, until) {
      await Promise.all([account.pause(accountId, until), server.pause(accountId, until)]);
    },
    pausedUntil: async (accountId) => Math.max(await account.pausedUntil(accountId), await server.pausedUntil(accountId)),
  };
}

/** What the server budget holds now (for doctor): slots taken, accounts waiting, a 429 pause. */
export async function serverBudgetInUse(
  store: Store,
  now: number,
): Promise<{ slots: number; waiting: number; pausedUntil: number | null }> {
  const rows = await store.run((tx) => tx.all(tx.select().from(tx.t.leases).where(like(tx.t.leases.name, 'amocrm-server-%'))));
  const live = rows.filter((r) => r.expiresAt > now);
  const pause = live.find((r) => r.name === PAUSE);
  return {
    slots: live.filter((r) => r.name.startsWith(SLOT_PREFIX)).length,
    waiting: new Set(live.filter((r) => r.name.startsWith(WAIT_PREFIX)).map((r) => r.name.split(':')[1])).size,
    pausedUntil: pause ? pause.expiresAt : null,
  };
}
