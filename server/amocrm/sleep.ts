import type { Clock } from '../platform/clock.ts';

export type Sleep = (ms: number) => Promise<void>;

/** A clock that can also wait (a virtual clock in tests moves itself instead of waiting). */
export interface SleepingClock extends Clock {
  sleep(ms: number): Promise<void>;
}

export function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/**
 * How the amoCRM client waits for back-offs and the rate budget: on the injected clock when it can
 * sleep (tests drive time), else real timers. Waiting for another *process* (a token refresh lease)
 * is always real time and does not use this.
 */
export function sleepOf(clock: Clock): Sleep {
  const c = clock as Partial<SleepingClock>;
  return typeof c.sleep === 'function' ? (ms) => c.sleep!(ms) : realSleep;
}
