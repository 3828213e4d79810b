import pRetry from 'p-retry';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { accounts } from '../db/schema.ts';
import type { Logger } from '../logging/logger.ts';
import type { Clock } from '../platform/clock.ts';
import { HttpTransportError, type HttpClient, type HttpResponse } from '../platform/http-client.ts';
import type { AccountGuard } from './account-guard.ts';
import { accountBaseUrl } from './base-url.ts';
import { AmocrmError, type AmocrmValidationError } from './errors.ts';
import type { RateBudget } from './rate-budget.ts';
import { backoffMs, classify, parseRetryAfter, type Outcome } from './retry-policy.ts';
import type { Sleep } from './sleep.ts';
import type { AccessToken, TokenManager } from './token-refresher.ts';

export type QueryValue = string | number | boolean | ReadonlyArray<string | number>;

export interface AmocrmCall {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** `/api/v4/...` */
  path: string;
  /** Keys as amoCRM spells them, brackets included: `{ 'filter[entity_id][]': [1, 2], limit: 250 }`. */
  query?: Record<string, QueryValue | undefined>;
  body?: Record<string, unknown> | unknown[];
  /**
   * Safe to repeat after an answer that may hide a success (timeout, 5xx). Default: every method
   * but POST. A non-idempotent call is then not retried: the caller checks and decides.
   */
  idempotent?: boolean;
  timeoutMs?: number;
}

export interface AmocrmResult<T> {
  status: number;
  /** Parsed JSON; undefined for 204 (amoCRM's empty list) and empty bodies. */
  data: T | undefined;
}

export interface AmocrmClient {
  /** One call for an installed account, through the guard, token manager, rate budget and retry table. */
  request<T = unknown>(accountId: number, call: AmocrmCall): Promise<AmocrmResult<T>>;
  /**
   * The same budget and retry table with a token in hand, for the install before the account is
   * stored. A 401 is not refreshed and a 403 blocks nothing (there is no account row yet).
   */
  requestWithToken<T = unknown>(
    target: { budgetKey: number; baseUrl: string; accessToken: string },
    call: AmocrmCall,
  ): Promise<AmocrmResult<T>>;
}

export interface AmocrmClientOptions {
  /** Retries after the first try for network errors, 5xx and 429 (default 3: 1 s, 2 s, 4 s plus jitter). */
  retries?: number;
  /** A longer back-off (a long Retry-After) is not waited inline: the call fails and the budget stays paused. */
  maxInlineWaitMs?: number;
  /**
   * Deadline per request (default 20 s, amoCRM's own PHP library's request timeout). The HTTP seam
   * takes one deadline per request, so it bounds connecting and reading together.
   */
  readTimeoutMs?: number;
  random?: () => number;
}

export interface AmocrmClientDeps {
  db: Db;
  clock: Clock;
  http: HttpClient;
  logger: Logger;
  guard: AccountGuard;
  tokens: TokenManager;
  budget: RateBudget;
  sleep: Sleep;
  amocrm: { baseUrl?: string };
  options?: AmocrmClientOptions;
}

export const DEFAULT_READ_TIMEOUT_MS = 20_000;

function buildQuery(query: AmocrmCall['query']): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values)
      parts.push(`${encodeURIComponent(key).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(String(v))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

function parseJson(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The result of one HTTP exchange, before the retry table decides. */
type Answer = { res: HttpResponse } | { transport: HttpTransportError };
/** `stale`: the slot was given up because the token was rejected meanwhile; nothing was sent. */
type Sent = Answer | { stale: true };

export function createAmocrmClient(deps: AmocrmClientDeps): AmocrmClient {
  const { db, clock, http, logger, guard, tokens, budget, sleep } = deps;
  const opts = deps.options ?? {};
  const retries = opts.retries ?? 3;
  const maxInlineWaitMs = opts.maxInlineWaitMs ?? 30_000;
  const readTimeoutMs = opts.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
  const random = opts.random ?? Math.random;

  const baseUrlOf = (accountId: number): string => {
    const row = db
      .select({ subdomain: accounts.subdomain, baseDomain: accounts.baseDomain })
      .from(accounts)
      .where(eq(accounts.id, accountId))
      .get();
    if (!row) throw new AmocrmError('amocrm_not_connected', `Account ${accountId} has not installed dramlink`);
    return accountBaseUrl(deps.amocrm, row);
  };

  /**
   * Per account, the newest token version amoCRM answered 401 to. A call that waited in the rate
   * budget while that happened gives its slot up instead of sending a token known to be dead (100
   * queued calls would otherwise send 100 doomed requests before the one refresh got a slot).
   */
  const rejectedVersion = new Map<number, number>();
  const isRejected = (accountId: number, version: number) => (rejectedVersion.get(accountId) ?? 0) >= version;

  const sendOnce = async (
    budgetKey: number,
    baseUrl: string,
    accessToken: string,
    call: AmocrmCall,
    stillValid?: () => boolean,
  ): Promise<Sent> => {
    const permit = await budget.acquire(budgetKey);
    if (stillValid && !stillValid()) {
      permit.release();
      return { stale: true };
    }
    const started = Date.now();
    try {
      const res = await http.request({
        method: call.method,
        url: `${baseUrl}${call.path}${buildQuery(call.query)}`,
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
        body: call.body,
        timeoutMs: call.timeoutMs ?? readTimeoutMs,
      });
      logger.debug('amocrm call', {
        accountId: budgetKey,
        method: call.method,
        path: call.path,
        status: res.status,
        ms: Date.now() - started,
      });
      return { res };
    } catch (err) {
      if (!(err instanceof HttpTransportError)) throw err;
      logger.debug('amocrm call failed', {
        accountId: budgetKey,
        method: call.method,
        path: call.path,
        error: err.message,
        ms: Date.now() - started,
      });
      return { transport: err };
    } finally {
      permit.release();
    }
  };

  /** Turns an answer into data or an AmocrmError whose `retryable` says what the table says. */
  const interpret = <T>(budgetKey: number, sent: Answer, call: AmocrmCall, attempt: number): AmocrmResult<T> => {
    const idempotent = call.idempotent ?? call.method !== 'POST';
    const what = `${call.method} ${call.path}`;
    if ('transport' in sent) {
      const row = classify({ kind: 'network', timedOut: sent.transport.timedOut, errno: sent.transport.code } satisfies Outcome)!;
      return fail(row.code, `${what}: ${sent.transport.message}`, { retryable: !row.ambiguous || idempotent, ambiguous: row.ambiguous });
    }
    const { res } = sent;
    const row = classify({ kind: 'status', status: res.status });
    if (!row) {
      const data = parseJson(res.text);
      if (res.status !== 204 && res.text.trim() && data === undefined) {
        return fail('amocrm_bad_response', `${what} answered ${res.status} with a body that is not JSON`, {
          httpStatus: res.status,
          body: res.text.slice(0, 300),
        });
      }
      return { status: res.status, data: data as T | undefined };
    }
    const body = res.text.slice(0, 2000);
    const json = parseJson(res.text) as { 'validation-errors'?: AmocrmValidationError[]; detail?: string; title?: string } | undefined;
    const detail = json?.detail ?? json?.title ?? '';
    const base = { httpStatus: res.status, body, ambiguous: row.ambiguous };
    switch (row.action) {
      case 'retry': {
        if (row.pausesAccount) {
          const retryAfterMs = parseRetryAfter(res.headers['retry-after'], clock.now());
          const delay = backoffMs(attempt, { retryAfterMs, random });
          budget.pause(budgetKey, clock.now() + delay);
          logger.warn('amocrm: 429, the account waits', { accountId: budgetKey, path: call.path, waitMs: delay, retryAfterMs });
          return fail(row.code, `${what} answered 429`, { ...base, retryable: true, retryAfterMs: delay });
        }
        return fail(row.code, `${what} answered ${res.status}`, { ...base, retryable: !row.ambiguous || idempotent });
      }
      case 'block':
        return fail(row.code, `${what} answered 403: amoCRM blocked the account`, { ...base, retryable: false });
      case 'refresh_once':
        return fail(row.code, `${what} answered 401 with a freshly refreshed token`, { ...base, retryable: false });
      case 'never':
        return fail(row.code, `${what} answered ${res.status}${detail ? `: ${detail}` : ''}`, {
          ...base,
          retryable: false,
          validationErrors: json?.['validation-errors'],
        });
    }
  };

  const withRetries = <T>(what: string, budgetKey: number, attemptFn: (attempt: number) => Promise<T>): Promise<T> => {
    let attempt = 0;
    return pRetry(
      () => {
        attempt++;
        return attemptFn(attempt);
      },
      {
        retries,
        // We wait ourselves, on the injected clock (p-retry's own delay is a real timer).
        minTimeout: 0,
        maxTimeout: 0,
        shouldRetry: async ({ error, retriesConsumed }) => {
          if (!(error instanceof AmocrmError) || !error.retryable) return false;
          if (error.code === 'amocrm_rate_limited') {
            // The budget is paused until the back-off ends; the retry queues behind it.
            return (error.retryAfterMs ?? 0) <= maxInlineWaitMs;
          }
          const delay = backoffMs(retriesConsumed + 1, { random });
          logger.warn('amocrm: retrying', { accountId: budgetKey, call: what, error: error.code, waitMs: delay });
          await sleep(delay);
          return true;
        },
      },
    );
  };

  return {
    request<T>(accountId: number, call: AmocrmCall) {
      const what = `${call.method} ${call.path}`;
      return withRetries(what, accountId, async (attempt) => {
        const permission = guard.check(accountId);
        try {
          const baseUrl = baseUrlOf(accountId);
          let token: AccessToken = await tokens.accessToken(accountId);
          const send = async (): Promise<Sent> => {
            const t = token;
            let out = await sendOnce(accountId, baseUrl, t.token, call, () => !isRejected(accountId, t.version));
            // Someone else's 401 retired our token while we queued: take the refreshed one (bounded).
            for (let i = 0; i < 3 && 'stale' in out; i++) {
              token = await tokens.refreshAfterUnauthorized(accountId, token.version);
              const fresh = token;
              out = await sendOnce(accountId, baseUrl, fresh.token, call, () => !isRejected(accountId, fresh.version));
            }
            return out;
          };
          let sent = await send();
          if ('res' in sent && sent.res.status === 401) {
            rejectedVersion.set(accountId, Math.max(rejectedVersion.get(accountId) ?? 0, token.version));
            // Refreshed once; a second 401 fails (amoCRM's PHP library does the same).
            token = await tokens.refreshAfterUnauthorized(accountId, token.version);
            sent = await send();
          }
          if ('stale' in sent)
            throw new AmocrmError('amocrm_needs_reconnect', `${what}: the access token kept being rejected while waiting to send`, {
              retryable: false,
            });
          if ('res' in sent && sent.res.status === 403) guard.block(accountId, `${what} answered 403`);
          else if (permission.probe && 'res' in sent) guard.unblock(accountId);
          else if (permission.probe) guard.probeInconclusive(accountId);
          return interpret<T>(accountId, sent, call, attempt);
        } catch (err) {
          if (permission.probe && err instanceof AmocrmError && err.code !== 'amocrm_account_blocked' && !err.accountLevel)
            guard.probeInconclusive(accountId);
          throw err;
        }
      });
    },

    requestWithToken<T>(target: { budgetKey: number; baseUrl: string; accessToken: string }, call: AmocrmCall) {
      const what = `${call.method} ${call.path}`;
      return withRetries(what, target.budgetKey, async (attempt) => {
        const sent = await sendOnce(target.budgetKey, target.baseUrl, target.accessToken, call);
        if ('stale' in sent) throw new AmocrmError('amocrm_bad_response', 'unreachable: no validity check was given');
        return interpret<T>(target.budgetKey, sent, call, attempt);
      });
    },
  };
}

function fail(code: AmocrmError['code'], message: string, init: ConstructorParameters<typeof AmocrmError>[2]): never {
  throw new AmocrmError(code, message, init);
}
