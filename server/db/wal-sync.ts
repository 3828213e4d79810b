import type Database from 'better-sqlite3';
import { closeSync, fdatasync, openSync } from 'node:fs';

/**
 * The group commit's durability off the event loop (docs/architecture.md, Nothing is lost).
 *
 * With `synchronous = FULL` every COMMIT calls fdatasync on the WAL inside SQLite, on the main
 * thread: the whole process stops for the disk's flush (a fraction of a millisecond to several),
 * once per batch. Under a steady trickle of notifications each commits alone, so the event loop
 * spends much of its time waiting for the disk and every other request waits behind it.
 *
 * So the group commit runs its transaction with `synchronous = NORMAL` (in WAL mode: the WAL is
 * written at COMMIT but not flushed; it is still flushed before every checkpoint, and the database
 * file after it) and then flushes the WAL itself with an asynchronous fdatasync on libuv's thread
 * pool, resolving only when that flush has finished: everything the batch wrote is then on disk
 * exactly as FULL would have left it. fdatasync flushes the file, not a descriptor's writes, so
 * one flush covers every commit written before it started; commits arriving while a flush runs
 * share the next one.
 *
 * Between COMMIT and the flush the rows are readable by this process but not yet durable. Nothing
 * outside acts on them in that window: the notification is answered only after the flush, and the
 * sync worker claims its jobs in a transaction of its own with `synchronous = FULL`, whose COMMIT
 * flushes the same WAL (and with it every frame before its own) before any call to amoCRM.
 */
export interface WalSync {
  /** Resolves once everything this connection has committed so far is on disk (rejects if the flush failed). */
  durable(): Promise<void>;
  /**
   * While a flush is running: calls `then` once the disk is idle again (every commit made so far
   * flushed, or failed) and returns true. When idle: returns false and calls nothing.
   */
  whenIdle(then: () => void): boolean;
  close(): void;
}

interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** The flush itself (node:fs fdatasync; tests hold or fail it). */
export type FlushFile = (fd: number, done: (err: Error | null) => void) => void;

/** For a connection in WAL mode on a file; undefined otherwise (`:memory:`, another journal mode): commit with FULL then. */
export function createWalSync(client: Database.Database, flushFile: FlushFile = fdatasync): WalSync | undefined {
  if (client.memory || String(client.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') return undefined;
  const walPath = `${client.name}-wal`;
  let fd: number | undefined;
  let committed = 0;
  let flushing = false;
  let closed = false;
  let waiters: Waiter[] = [];
  let onIdle: (() => void)[] = [];

  function release(): void {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  }

  function flush(): void {
    flushing = true;
    const upTo = committed;
    try {
      // The WAL exists once a commit has written to it; SQLite keeps the same file while a connection is open.
      fd ??= openSync(walPath, 'r');
    } catch (err) {
      return settle(upTo, err);
    }
    flushFile(fd, (err) => settle(upTo, err ?? undefined));
  }

  function settle(upTo: number, err: unknown): void {
    flushing = false;
    // A failed flush (or a closed store) opens the file afresh next time.
    if (err || closed) release();
    const done = waiters.filter((w) => w.seq <= upTo);
    waiters = waiters.filter((w) => w.seq > upTo);
    for (const w of done) {
      if (err) w.reject(err);
      else w.resolve();
    }
    if (waiters.length) return flush();
    const idle = onIdle;
    onIdle = [];
    for (const then of idle) then();
  }

  return {
    durable() {
      const seq = ++committed;
      return new Promise<void>((resolve, reject) => {
        waiters.push({ seq, resolve, reject });
        if (!flushing) flush();
      });
    },
    whenIdle(then) {
      if (!flushing) return false;
      onIdle.push(then);
      return true;
    },
    close() {
      closed = true;
      // A flush in progress keeps its descriptor until it ends (settle releases it).
      if (!flushing) release();
    },
  };
}
