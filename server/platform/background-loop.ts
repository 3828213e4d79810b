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
  /**
   * New work is waiting: while running, the next pass starts `wakeDelayMs` from now instead of
   * after the interval, or right after the pass in progress. Wakes before that pass coalesce into it.
   */
  wake(): void;
}

export interface BackgroundLoopOptions<R> {
  name: string;
  pass: () => Promise<R>;
  /** Pause between the end of one pass and the start of the next. */
  intervalMs: number;
  /** Delay before the first pass after start() (default: intervalMs). */
  firstPassAfterMs?: number;
  /** Delay from wake() to the pass it asks for (default 0): wakes within it share one pass. */
  wakeDelayMs?: number;
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
  const wakeDelayMs = opts.wakeDelayMs ?? 0;
  let chain: Promise<unknown> = Promise.resolve();
  let cancel: (() => void) | undefined;
  // Bumped by every start and stop, so a pass that ends after a restart does not schedule twice.
  let generation = 0;
  let running = false;
  // The scheduled pass is a wake's (due soon): another wake leaves it alone.
  let wakeScheduled = false;
  // A scheduled pass is running: a wake now asks for the next one right after it.
  let passing = false;
  let wokenDuringPass = false;

  const runOnce = (): Promise<R> => {
    const next = chain.then(opts.pass);
    chain = next.catch(() => undefined);
    return next;
  };

  const schedule = (ms: number, gen: number, byWake = false): void => {
    wakeScheduled = byWake;
    cancel = timer(() => {
      cancel = undefined;
      wakeScheduled = false;
      passing = true;
      wokenDuringPass = false;
      runOnce()
        .catch((err: unknown) => opts.logger.error(`${opts.name}: pass failed`, { error: err }))
        .finally(() => {
          passing = false;
          if (running && gen === generation) schedule(wokenDuringPass ? wakeDelayMs : opts.intervalMs, gen, wokenDuringPass);
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
    wake() {
      if (!running) return;
      if (passing) {
        wokenDuringPass = true;
        return;
      }
      if (wakeScheduled) return;
      cancel?.();
      schedule(wakeDelayMs, generation, true);
    },
    async stop() {
      running = false;
      generation++;
      cancel?.();
      cancel = undefined;
      wakeScheduled = false;
      await chain;
    },
  };
}
