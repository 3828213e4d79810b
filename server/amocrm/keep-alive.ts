import type { Account } from '../accounts/account.ts';
import { findAccount } from '../accounts/account-store.ts';
import type { Store } from '../db/store.ts';
import type { Logger } from '../logging/logger.ts';
import { createBackgroundLoop, type BackgroundLoop, type Timer } from '../platform/background-loop.ts';
import type { Clock } from '../platform/clock.ts';
import { isAmocrmError } from './errors.ts';
import { accountsWithTokensStoredBefore } from './token-store.ts';
import type { TokenManager } from './token-refresher.ts';

/** A pair stored longer ago than this is refreshed (amoCRM's refresh token dies after 3 months unused). */
export const KEEP_ALIVE_AFTER_MS = 30 * 24 * 3_600_000;
/** The sweep runs daily… */
export const KEEP_ALIVE_EVERY_MS = 24 * 3_600_000;
/** …the first time this long after the server starts (a server restarted daily still sweeps). */
export const KEEP_ALIVE_FIRST_AFTER_MS = 10 * 60_000;
/** Accounts refreshed per pass at most; the rest wait for the next day (they have two months left). */
const BATCH = 200;

export interface KeepAliveReport {
  refreshed: number;
  revoked: number;
  failed: number;
}

export type KeepAlive = BackgroundLoop<KeepAliveReport>;

export interface KeepAliveDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  tokens: Pick<TokenManager, 'refreshIfStoredBefore'>;
  onResult?: (result: 'refreshed' | 'revoked' | 'failed') => void;
  timer?: Timer;
}

/**
 * amoCRM refreshes tokens only when a call needs one, and a refresh token unused for three months
 * dies: a quiet account would silently need a reinstall. Once a day, every connected (active)
 * account whose pair was stored more than 30 days ago is refreshed, one at a time, within its rate
 * budget and through the refresh lease. A refresh amoCRM refuses marks the account
 * `needs_reconnect` with an exception for a person (the token manager does that); a passing failure
 * is tried again the next day.
 */
export function createKeepAlive(deps: KeepAliveDeps): KeepAlive {
  return createBackgroundLoop({
    name: 'token-keep-alive',
    intervalMs: KEEP_ALIVE_EVERY_MS,
    firstPassAfterMs: KEEP_ALIVE_FIRST_AFTER_MS,
    timer: deps.timer,
    logger: deps.logger,
    pass: () => keepAliveOnce(deps),
  });
}

export async function keepAliveOnce(deps: KeepAliveDeps): Promise<KeepAliveReport> {
  const report: KeepAliveReport = { refreshed: 0, revoked: 0, failed: 0 };
  const before = deps.clock.now() - KEEP_ALIVE_AFTER_MS;
  for (const accountId of await deps.store.run((tx) => accountsWithTokensStoredBefore(tx, before, BATCH))) {
    const account = await deps.store.run((tx) => findAccount(tx, accountId));
    if (!account || account.state !== 'active') continue;
    const result = await refreshOne(deps, account, before);
    if (result) {
      report[result]++;
      deps.onResult?.(result);
    }
  }
  if (report.refreshed + report.revoked + report.failed > 0) deps.logger.info('amocrm keep-alive: idle accounts refreshed', { ...report });
  return report;
}

async function refreshOne(deps: KeepAliveDeps, account: Account, before: number): Promise<keyof KeepAliveReport | undefined> {
  try {
    return (await deps.tokens.refreshIfStoredBefore(account, before)) === 'refreshed' ? 'refreshed' : undefined;
  } catch (err) {
    const code = isAmocrmError(err) ? err.code : undefined;
    if (code === 'amocrm_needs_reconnect') return 'revoked';
    deps.logger.warn('amocrm keep-alive: refresh failed; tried again tomorrow', {
      accountId: account.id,
      code,
      error: (err as Error).message,
    });
    return 'failed';
  }
}
