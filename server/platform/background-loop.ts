/** Runs `fn` once after `ms`; returns what cancels it. */
export type Timer = (fn: () => void, ms: number) => () => void;

/** Real timers that never keep the process alive on their own (the HTTP server does). */
export const realTimer: Timer = (fn, ms) => {
  const handle = setTimeout(fn, ms);
  handle.unref();
  return () => clearTimeout(handle);
};

/** Work the server repeats in the background (the sync worker, the reconciler). */
export interface BackgroundLoop<R = unknown> {
  readonly name: string;
  /** Schedules passes until stop(); a second start() while running does nothing. */
  start(): void;
  /** Stops scheduling and waits for the pass in progress, if any. */
  stop(): Promise<void>;
  /** One pass now, after the one in progress (passes never overlap); resolves with its result. */
  runOnce(): Promise<R>;
}

export interface BackgroundLoopOptions<R> {
  name: string;
  pass: () => Promise<R>;
  /** Pause between the end of one pass and the start of the next. */
  intervalMs: number;
  /** Delay before the first pass after start() (default: intervalMs). */
  firstPassAfterMs?: number;
  /** Where a failed pass is reported (the server's logger). */
  logger: { error(message: string, meta?: Record<string, unknown>): unknown };
  timer?: Timer;
}

/**
 * One pass at a time, a pause between passes, errors logged (a failed pass never stops the loop
 * or reaches the caller of start), and a stop that waits for the pass in progress.
 */
export function createBackgroundLoop<R>(opts: BackgroundLoopOptions<R>): BackgroundLoop<R> {
  const timer = opts.timer ?? realTimer;
  let chain: Promise<unknown> = Promise.resolve();
  let cancel: (() => void) | undefined;
  // Bumped by every start and stop, so a pass that ends after a restart does not schedule twice.
  let generation = 0;
  let running = false;

  const runOnce = (): Promise<R> => {
    const next = chain.then(opts.pass);
    chain = next.catch(() => undefined);
    return next;
  };

  const schedule = (ms: number, gen: number): void => {
    cancel = timer(() => {
      cancel = undefined;
      runOnce()
        .catch((err: unknown) => opts.logger.error(`${opts.name}: pass failed`, { error: err }))
        .finally(() => {
          if (running && gen === generation) schedule(opts.intervalMs, gen);
        });
    }, ms);
  };

  return {
    name: opts.name,
    runOnce,
    start() {
      if (running) return;
      running = true;
      schedule(opts.firstPassAfterMs ?? opts.intervalMs, ++generation);
    },
    async stop() {
      running = false;
      generation++;
      cancel?.();
      cancel = undefined;
      await chain;
    },
  };
}
