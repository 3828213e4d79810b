/**
 * docs/architecture.md, 6 Sync to amoCRM: the signal that an account's outbox has committed work,
 * so its sync runs now instead of at the next poll. Store-agnostic: it carries an account id and
 * nothing else, and is called only after the change is durable. The in-process implementation
 * wakes this process's worker; one over the database (PostgreSQL LISTEN/NOTIFY) wakes every
 * instance sharing it. Losing a wake-up costs only latency: the worker still polls.
 */
export interface SyncWake {
  /** The account's outbox has committed work. Never throws; delivery is best effort. */
  notify(accountId: number): void;
  /** Calls `listener` for each notification (in any process the implementation reaches); returns what unsubscribes. */
  subscribe(listener: (accountId: number) => void): () => void;
}

/** The wake within one process: listeners are called synchronously, a failing one is ignored. */
export function createInProcessSyncWake(): SyncWake {
  const listeners = new Set<(accountId: number) => void>();
  return {
    notify(accountId) {
      for (const listener of listeners) {
        try {
          listener(accountId);
        } catch {
          // A listener's failure is its own; the poll catches up.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
