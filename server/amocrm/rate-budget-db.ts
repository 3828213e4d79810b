import { randomUUID } from 'node:crypto';
import { and, eq, like } from 'drizzle-orm';
import { AMOCRM_MAX_RPS } from '../config/config.ts';
import type { Step } from '../db/step.ts';
import type { Store } from '../db/store.ts';
import type { Tx } from '../db/tx.ts';
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

/**
 * One look at the account's slots, in one transaction: a free slot taken, or how long to wait.
 * Looks at one account are one at a time in every process: SQLite's IMMEDIATE transaction, a
 * PostgreSQL advisory lock per account (otherwise two instances could both see slot 0 free).
 */
function* tryTake(tx: Tx, input: { accountId: number; token: string; now: number; limit: number }): Step<Taken> {
  const { leases } = tx.t;
  const { accountId, now } = input;
  yield* tx.serialize(`amocrm-rate:${accountId}`);
  const pause = yield* tx.get(
    tx
      .select()
      .from(leases)
      .where(eq(leases.name, pauseName(accountId))),
  );
  if (pause && pause.expiresAt > now) return { waitMs: pause.expiresAt - now };
  const rows = yield* tx.all(
    tx
      .select()
      .from(leases)
      .where(like(leases.name, `amocrm-rate:${accountId}:%`)),
  );
  const byName = new Map(rows.map((r) => [r.name, r]));
  for (let i = 0; i < input.limit; i++) {
    const row = byName.get(slotName(accountId, i));
    if (row && row.expiresAt > now) continue;
    const values = { name: slotName(accountId, i), holder: `inflight:${input.token}`, expiresAt: now + IN_FLIGHT_MAX_MS };
    yield* tx.run(
      tx
        .insert(leases)
        .values(values)
        .onConflictDoUpdate({ target: leases.name, set: { holder: values.holder, expiresAt: values.expiresAt } }),
    );
    return { slot: i };
  }
  const timed = rows.filter((r) => r.holder.startsWith('done:') && r.expiresAt > now).map((r) => r.expiresAt);
  return { waitMs: timed.length > 0 ? Math.min(...timed) - now : POLL_MS };
}

/**
 * Releases a rate slot taken as `inflight:<token>`: it stays taken (`done:<token>`) for one window
 * after the answer, as the in-process budget counts it. Shared by the per-account and server budgets.
 */
export function slotPermit(store: Store, clock: Clock, slotLeaseName: string, inflightHolder: string): RatePermit {
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await store.run(function* (tx) {
        const { leases } = tx.t;
        yield* tx.run(
          tx
            .update(leases)
            .set({ holder: inflightHolder.replace(/^inflight:/, 'done:'), expiresAt: clock.now() + WINDOW_MS })
            .where(and(eq(leases.name, slotLeaseName), eq(leases.holder, inflightHolder))),
        );
      });
    },
  };
}

/** A pause lease (a 429) that only ever extends. */
export function* extendPause(tx: Tx, name: string, until: number): Step<void> {
  const { leases } = tx.t;
  yield* tx.run(
    tx
      .insert(leases)
      .values({ name, holder: 'amocrm-429', expiresAt: until })
      .onConflictDoUpdate({ target: leases.name, set: { expiresAt: tx.greatest(leases.expiresAt, until) } }),
  );
}

/** When a pause lease ends (0 when there is none, or it is over). */
export function* pauseEnd(tx: Tx, name: string, now: number): Step<number> {
  const { leases } = tx.t;
  const row = yield* tx.get(tx.select().from(leases).where(eq(leases.name, name)));
  return row && row.expiresAt > now ? row.expiresAt : 0;
}

/**
 * The per-account budget shared by every process on this database (several server instances on
 * one SQLite file or one PostgreSQL): `rps` slot rows per account in the leases table. A request
 * takes a free slot while it is in flight and leaves it taken until one window after its answer,
 * exactly as the in-process budget counts, so every rolling second amoCRM can measure stays at or
 * under the limit however many server processes share the account. A 429 pause is a lease row too.
 */
export function createDbRateBudget(opts: { store: Store; rps: number; clock: Clock; sleep: Sleep }): RateBudget {
  const { store, clock, sleep } = opts;
  const limit = Math.max(1, Math.min(Math.floor(opts.rps), AMOCRM_MAX_RPS));
  return {
    async acquire(accountId): Promise<RatePermit> {
      const token = randomUUID();
      for (;;) {
        const got = await store.transaction((tx) => tryTake(tx, { accountId, token, now: clock.now(), limit }));
        if ('slot' in got) return slotPermit(store, clock, slotName(accountId, got.slot), `inflight:${token}`);
        await sleep(Math.max(1, got.waitMs));
      }
    },
    pause: (accountId, until) => store.run((tx) => extendPause(tx, pauseName(accountId), until)),
    pausedUntil: (accountId) => store.run((tx) => pauseEnd(tx, pauseName(accountId), clock.now())),
  };
}

/** What the account's budget holds now (for doctor): slots taken (in flight or inside their window) and a 429 pause. */
export function accountBudgetInUse(store: Store, accountId: number, now: number): Promise<{ slots: number; pausedUntil: number | null }> {
  return store.run(function* (tx) {
    const { leases } = tx.t;
    const rows = yield* tx.all(
      tx
        .select()
        .from(leases)
        .where(like(leases.name, `amocrm-rate:${accountId}:%`)),
    );
    const paused = yield* pauseEnd(tx, pauseName(accountId), now);
    return { slots: rows.filter((r) => r.expiresAt > now).length, pausedUntil: paused || null };
  });
}
