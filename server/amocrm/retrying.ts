import pRetry from 'p-retry';
import type { Logger } from '../logging/logger.ts';
import { AmocrmError } from './errors.ts';
import { backoffMs } from './retry-policy.ts';
import type { Sleep } from './sleep.ts';

export interface RetryOptions {
  /** Retries after the first try, for what the retry table calls retryable. */
  retries: number;
  /** A longer 429 back-off is not waited inline: the call fails and the budget stays paused. */
  maxInlineWaitMs: number;
  random: () => number;
  sleep: Sleep;
  logger: Logger;
}

/**
 * The outermost layer: repeats an attempt while its AmocrmError is `retryable` (the retry table
 * decided that), waiting the back-off on the injected clock. A 429 waits in the rate budget (the
 * answer paused it) instead of here, unless the wait is too long to hold the caller.
 */
export function withRetries<T>(
  opts: RetryOptions,
  trace: { accountId: number; call: string },
  attemptFn: (attempt: number) => Promise<T>,
): Promise<T> {
  let attempt = 0;
  return pRetry(() => attemptFn(++attempt), {
    retries: opts.retries,
    // We wait ourselves, on the injected clock (p-retry's own delay is a real timer).
    minTimeout: 0,
    maxTimeout: 0,
    shouldRetry: async ({ error, retriesConsumed }) => {
      if (!(error instanceof AmocrmError) || !error.retryable) return false;
      if (error.code === 'amocrm_rate_limited') return (error.retryAfterMs ?? 0) <= opts.maxInlineWaitMs;
      const delay = backoffMs(retriesConsumed + 1, { random: opts.random });
      opts.logger.warn('amocrm: retrying', { ...trace, error: error.code, waitMs: delay });
      await opts.sleep(delay);
      return true;
    },
  });
}
