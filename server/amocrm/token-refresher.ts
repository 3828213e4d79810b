import { randomUUID } from 'node:crypto';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Store } from '../db/store.ts';
import type { Account } from '../accounts/account.ts';
import type { Logger } from '../logging/logger.ts';
import type { Clock } from '../platform/clock.ts';
import type { HttpClient } from '../platform/http-client.ts';
import type { AccountGuard } from './account-guard.ts';
import { accountBaseUrl } from './base-url.ts';
import { AmocrmError } from './errors.ts';
import { acquireLease, releaseLease } from '../db/lease.ts';
import { exchangeGrant, GrantRejectedError, type OAuthClientSettings } from './oauth-exchange.ts';
import type { RateBudget } from './rate-budget.ts';
import { realSleep } from './sleep.ts';
import { readTokens, writeTokens, type StoredTokens } from './token-store.ts';

/** Refresh this long before the access token expires (Nango's margin; amoCRM tokens live 24 h). */
export const REFRESH_MARGIN_MS = 15 * 60_000;
/** Longer than a refresh can take (request timeout plus storing), so a live holder never loses it. */
export const REFRESH_LEASE_MS = 60_000;
/** How often a process waiting for another one's refresh looks again (real time). */
const LEASE_POLL_MS = 25;

export interface AccessToken {
  token: string;
  version: number;
}

/**
 * Hands out an account's access token, refreshing it first when it expires within the margin, or
 * when amoCRM answered 401 to it. Refresh tokens are single-use, so at most one refresh per
 * account runs anywhere: in this process one promise is shared (single-flight); across processes a
 * lease row decides, and a process that did not get it waits and re-reads the pair the winner
 * stored. The new pair is stored (one transaction) before anyone uses it.
 */
export interface TokenManager {
  accessToken(account: Account): Promise<AccessToken>;
  /** amoCRM answered 401 to `rejectedVersion`: refresh unless someone already did. */
  refreshAfterUnauthorized(account: Account, rejectedVersion: number): Promise<AccessToken>;
  /**
   * Keep-alive: refresh the pair when it was stored before `storedBefore` (a refresh token unused for
   * three months dies), through the same single-flight and lease. `fresh` when someone refreshed since.
   */
  refreshIfStoredBefore(account: Account, storedBefore: number): Promise<'refreshed' | 'fresh'>;
}

export interface TokenManagerDeps {
  store: Store;
  clock: Clock;
  http: HttpClient;
  secretBox: SecretBox;
  logger: Logger;
  guard: AccountGuard;
  budget: RateBudget;
  amocrm: { clientId?: string; clientSecret?: string; redirectUri: string; baseUrl?: string };
  timeoutMs: number;
  /** Names this process in the lease row (tests give two "processes" different ones). */
  holder?: string;
  /** Real-time ceiling on waiting for another process's refresh. */
  maxLeaseWaitMs?: number;
}

export function oauthSettings(amocrm: TokenManagerDeps['amocrm']): OAuthClientSettings {
  if (!amocrm.clientId || !amocrm.clientSecret) {
    throw new AmocrmError(
      'amocrm_not_connected',
      'AMOCRM_CLIENT_ID and AMOCRM_CLIENT_SECRET are not set: this server cannot talk to amoCRM',
    );
  }
  return { clientId: amocrm.clientId, clientSecret: amocrm.clientSecret, redirectUri: amocrm.redirectUri };
}

const asAccess = (t: StoredTokens): AccessToken => ({ token: t.accessToken, version: t.version });

async function currentTokens(deps: TokenManagerDeps, accountId: number): Promise<StoredTokens> {
  const t = await deps.store.run((tx) => readTokens(tx, deps.secretBox, accountId));
  if (!t) throw new AmocrmError('amocrm_not_connected', `Account ${accountId} has no amoCRM tokens; it must install dramlink`);
  return t;
}

/** The refresh itself, by the lease holder: one exchange, in the account's rate budget, stored before use. */
async function refreshNow(deps: TokenManagerDeps, account: Account, seen: StoredTokens): Promise<StoredTokens> {
  const permit = await deps.budget.acquire(account.id);
  let pair;
  try {
    pair = await exchangeGrant(deps.http, {
      baseUrl: accountBaseUrl(deps.amocrm, account),
      settings: oauthSettings(deps.amocrm),
      grant: { grant_type: 'refresh_token', refresh_token: seen.refreshToken },
      timeoutMs: deps.timeoutMs,
    });
  } catch (err) {
    if (err instanceof GrantRejectedError) {
      await deps.guard.needsReconnect(account, `refresh refused by amoCRM (${err.httpStatus}${err.hint ? `: ${err.hint}` : ''})`);
      throw new AmocrmError(
        'amocrm_needs_reconnect',
        `amoCRM refused to refresh account ${account.id}'s token; an admin must install dramlink again`,
        {
          httpStatus: err.httpStatus,
        },
      );
    }
    if (err instanceof AmocrmError && err.code === 'amocrm_account_blocked') await deps.guard.block(account, 'token refresh answered 403');
    if (err instanceof AmocrmError && err.code === 'amocrm_ip_not_allowed')
      await deps.guard.ipRefused(account, 'token refresh answered 403 naming this IP');
    throw err;
  } finally {
    await permit.release();
  }
  const now = deps.clock.now();
  const version = await deps.store.transaction((tx) => writeTokens(tx, deps.secretBox, account.id, pair, now));
  deps.logger.info('amocrm: tokens refreshed', { accountId: account.id, version, expiresAt: now + pair.expiresIn * 1000 });
  return { ...pair, expiresAt: now + pair.expiresIn * 1000, version, updatedAt: now };
}

export function createTokenManager(deps: TokenManagerDeps): TokenManager {
  const { store, clock } = deps;
  const holder = deps.holder ?? `${process.pid}:${randomUUID()}`;
  const maxLeaseWaitMs = deps.maxLeaseWaitMs ?? REFRESH_LEASE_MS + 5_000;
  const inFlight = new Map<number, Promise<StoredTokens>>();
  const fresh = (t: StoredTokens) => t.expiresAt - clock.now() > REFRESH_MARGIN_MS;
  const usable = (t: StoredTokens, staleVersion: number) => t.version !== staleVersion && fresh(t);

  /** Take the lease, or wait for whoever holds it and use what they stored. */
  const refreshShared = async (account: Account, staleVersion: number): Promise<StoredTokens> => {
    const name = `token-refresh:${account.id}`;
    const startedAt = Date.now();
    for (;;) {
      const seen = await currentTokens(deps, account.id);
      if (usable(seen, staleVersion)) return seen;
      await deps.guard.assertConnected(account.id);
      if (await acquireLease(store, { name, holder, now: clock.now(), ttlMs: REFRESH_LEASE_MS })) {
        try {
          // Re-read under the lease: another process may have finished between our read and our lease.
          const again = await currentTokens(deps, account.id);
          return usable(again, staleVersion) ? again : await refreshNow(deps, account, again);
        } finally {
          await releaseLease(store, { name, holder });
        }
      }
      if (Date.now() - startedAt > maxLeaseWaitMs) {
        throw new AmocrmError('amocrm_refresh_busy', `Another process is refreshing account ${account.id}'s tokens and has not finished`, {
          retryable: true,
        });
      }
      // Another process holds the lease: wait (real time: it is another process's request) and re-read.
      await realSleep(LEASE_POLL_MS);
    }
  };

  const singleFlight = (account: Account, staleVersion: number): Promise<StoredTokens> => {
    const running = inFlight.get(account.id);
    if (running) return running;
    const p = refreshShared(account, staleVersion).finally(() => inFlight.delete(account.id));
    inFlight.set(account.id, p);
    return p;
  };

  return {
    async accessToken(account) {
      const t = await currentTokens(deps, account.id);
      if (fresh(t)) return asAccess(t);
      try {
        return asAccess(await singleFlight(account, t.version));
      } catch (err) {
        // A refresh ahead of time that failed for a passing reason: the old token still works for now.
        if (err instanceof AmocrmError && err.retryable && t.expiresAt > clock.now()) return asAccess(t);
        throw err;
      }
    },
    async refreshAfterUnauthorized(account, rejectedVersion) {
      const t = await currentTokens(deps, account.id);
      if (usable(t, rejectedVersion)) return asAccess(t);
      return asAccess(await singleFlight(account, rejectedVersion));
    },
    async refreshIfStoredBefore(account, storedBefore) {
      const t = await currentTokens(deps, account.id);
      // The version seen counts as stale: the lease holder refreshes unless another process already did.
      return t.updatedAt >= storedBefore || (await singleFlight(account, t.version)).version === t.version ? 'fresh' : 'refreshed';
    },
  };
}
