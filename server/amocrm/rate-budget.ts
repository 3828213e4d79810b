import { AMOCRM_MAX_RPS } from '../config/config.ts';
import type { Clock } from '../platform/clock.ts';
import type { Sleep } from './sleep.ts';

/**
 * The per-account request budget (docs/architecture.md, Principles): never more than `rps` (≤ 7)
 * requests of one account in any rolling second (amoCRM's limit), and none while the account waits out a 429.
 *
 * An interface, so a budget shared through the database (several server instances) can replace
 * the in-process one without touching the client.
 */
export interface RateBudget {
  /** Waits until the account may send one request; call `release()` once its answer (or failure) is in. */
  acquire(accountId: number): Promise<RatePermit>;
  /** No request of this account starts before `until` (a 429 back-off). Only ever extends. */
  pause(accountId: number, until: number): Promise<void>;
  pausedUntil(accountId: number): Promise<number>;
}

export interface RatePermit {
  /** The answer (or failure) is in: the slot counts one more window, then frees. */
  release(): Promise<void>;
}

export const WINDOW_MS = 1000;

interface AccountWindow {
  /** Requests sent and not answered yet. */
  inFlight: number;
  /** Answer times of finished requests still inside the window. */
  finished: number[];
  pausedUntil: number;
  /** FIFO: acquirers take slots in arrival order. */
  queue: Promise<void>;
  /** Resolvers waiting for an in-flight request to finish. */
  waiters: Array<() => void>;
}

/**
 * In-process budget on the injected clock. A request holds its slot from the moment it is sent
 * until one window after its answer arrived: amoCRM counts a request when it arrives, which is
 * somewhere between the two, so counting the whole span keeps every rolling second amoCRM can
 * measure at or under the limit, whatever the latency.
 */
export function createMemoryRateBudget(opts: { rps: number; clock: Clock; sleep: Sleep }): RateBudget {
  const limit = Math.max(1, Math.min(Math.floor(opts.rps), AMOCRM_MAX_RPS));
  const { clock, sleep } = opts;
  const accounts = new Map<number, AccountWindow>();

  const windowOf = (accountId: number): AccountWindow => {
    let w = accounts.get(accountId);
    if (!w) {
      w = { inFlight: 0, finished: [], pausedUntil: 0, queue: Promise.resolve(), waiters: [] };
      accounts.set(accountId, w);
    }
    return w;
  };

  const waitForSlot = async (w: AccountWindow): Promise<void> => {
    for (;;) {
      const now = clock.now();
      while (w.finished.length > 0 && w.finished[0] + WINDOW_MS <= now) w.finished.shift();
      if (now < w.pausedUntil) {
        await sleep(w.pausedUntil - now);
        continue;
      }
      if (w.inFlight + w.finished.length < limit) {
        w.inFlight++;
        return;
      }
      if (w.finished.length > 0) {
        await sleep(w.finished[0] + WINDOW_MS - now);
      } else {
        // Every slot is an unanswered request: its answer starts the window that frees it.
        await new Promise<void>((resolve) => w.waiters.push(resolve));
      }
    }
  };

  return {
    acquire(accountId) {
      const w = windowOf(accountId);
      const turn = w.queue.then(() => waitForSlot(w));
      w.queue = turn.catch(() => undefined);
      return turn.then(() => {
        let released = false;
        return {
          async release() {
            if (released) return;
            released = true;
            w.inFlight--;
            w.finished.push(clock.now());
            w.finished.sort((a, b) => a - b);
            w.waiters.splice(0).forEach((wake) => wake());
          },
        };
      });
    },
    async pause(accountId, until) {
      const w = windowOf(accountId);
      w.pausedUntil = Math.max(w.pausedUntil, until);
    },
    pausedUntil: async (accountId) => accounts.get(accountId)?.pausedUntil ?? 0,
  };
}
