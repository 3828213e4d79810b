import type Database from 'better-sqlite3';

/**
 * Signals a write raises for what happens after it is durable (docs/architecture.md, 6 Sync to
 * amoCRM: a committed outbox row wakes its account's sync). Raised inside a transaction, a signal
 * is delivered only once the outermost transaction has committed; a rollback drops it, and so does
 * the rollback of a savepoint (the group commit runs each notification in one), so a notification
 * that failed wakes nothing. Raised outside a transaction, the statement has already committed and
 * the signal is delivered at once.
 *
 * This file is SQLite's side (sqlite-store.ts; PostgreSQL's is in postgres-store.ts, where each
 * transaction has its own Tx and collects its signals): the connection's transaction functions are
 * wrapped when it is opened (`trackCommits`).
 * Transactions are synchronous (never an `await` inside one), so at most one is in progress in the
 * process at any moment and the open scopes form one stack.
 */
export interface CommitSignal {
  /** What changed: `outbox` (a sync job was queued or re-armed). */
  topic: 'outbox';
  accountId: number;
}

export type CommitListener = (signal: CommitSignal) => void;

interface Tracker {
  listeners: Set<CommitListener>;
}

interface Scope {
  tracker: Tracker;
  signals: CommitSignal[];
}

const trackers = new WeakMap<Database.Database, Tracker>();
const scopes: Scope[] = [];

type TxFunction = ((...args: unknown[]) => unknown) & Record<'deferred' | 'immediate' | 'exclusive', (...args: unknown[]) => unknown>;

/** Wraps the connection's `transaction()` so every transaction (drizzle's, the group commit's) opens a scope. */
export function trackCommits(client: Database.Database): void {
  if (trackers.has(client)) return;
  const tracker: Tracker = { listeners: new Set() };
  trackers.set(client, tracker);
  const original = client.transaction.bind(client);
  client.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const native = original(fn) as unknown as TxFunction;
    const wrapped = scoped(tracker, native) as TxFunction;
    for (const variant of ['deferred', 'immediate', 'exclusive'] as const) wrapped[variant] = scoped(tracker, native[variant]);
    return wrapped;
  }) as typeof client.transaction;
}

function scoped(tracker: Tracker, run: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  return function (this: unknown, ...args: unknown[]) {
    const scope: Scope = { tracker, signals: [] };
    scopes.push(scope);
    let result: unknown;
    try {
      result = run.apply(this, args);
    } finally {
      // Popped whether it committed or threw: a thrown scope's signals are simply never delivered.
      scopes.pop();
    }
    const parent = scopes.at(-1);
    if (parent) parent.signals.push(...scope.signals);
    else deliver(tracker, scope.signals);
    return result;
  };
}

function deliver(tracker: Tracker, signals: readonly CommitSignal[]): void {
  deliverSignals(tracker.listeners, signals);
}

/** Each account's signal once per commit, to every listener; a listener's failure stays its own. */
export function deliverSignals(listeners: ReadonlySet<CommitListener>, signals: readonly CommitSignal[]): void {
  const seen = new Set<string>();
  for (const signal of signals) {
    const key = `${signal.topic}:${signal.accountId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const listener of listeners) {
      try {
        listener(signal);
      } catch {
        // What committed stays committed: a listener's failure must not reach the writer. The
        // listeners are wake-ups whose loops also poll, so a lost one costs only latency.
      }
    }
  }
}

/** Raises `signal` for delivery once the caller's transaction commits (at once when there is none). */
export function signalOnCommit(tx: { $client?: unknown }, signal: CommitSignal): void {
  const scope = scopes.at(-1);
  if (scope) {
    scope.signals.push(signal);
    return;
  }
  // Outside a transaction `tx` is the database itself and the statement has committed.
  const client = (tx as { $client?: Database.Database }).$client;
  const tracker = client && trackers.get(client);
  if (tracker) deliver(tracker, [signal]);
}

/** Listens to the signals of the connection's committed transactions; returns what stops listening. */
export function subscribeCommits(client: Database.Database, listener: CommitListener): () => void {
  trackCommits(client);
  const tracker = trackers.get(client)!;
  tracker.listeners.add(listener);
  return () => tracker.listeners.delete(listener);
}
