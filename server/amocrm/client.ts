import type { Account } from '../accounts/account.ts';
import { notInstalledError } from '../accounts/account-standing.ts';
import { findAccount } from '../accounts/account-store.ts';
import type { Store } from '../db/store.ts';
import type { Logger } from '../logging/logger.ts';
import type { Clock } from '../platform/clock.ts';
import type { HttpClient } from '../platform/http-client.ts';
import { guarded, type AccountGuard } from './account-guard.ts';
import { interpretAnswer, type AnswerDeps } from './answer.ts';
import { accountBaseUrl } from './base-url.ts';
import { describeCall, type AmocrmCall, type AmocrmResult } from './call.ts';
import { bindEndpoints, type AccountAmocrm } from './endpoints/index.ts';
import { AmocrmError } from './errors.ts';
import type { RateBudget } from './rate-budget.ts';
import { withRateBudget } from './rate-limited.ts';
import { withRetries, type RetryOptions } from './retrying.ts';
import type { Sleep } from './sleep.ts';
import { withTokenRefresh } from './token-auth.ts';
import type { TokenManager } from './token-refresher.ts';
import { createTransport, type SendTarget } from './transport.ts';

export type { AmocrmCall, AmocrmResult, QueryValue } from './call.ts';

/**
 * amoCRM calls, as composable layers, outermost first: retry table (retrying.ts) → account guard
 * (account-guard.ts) → token with one refresh after a 401 (token-auth.ts) → rate budget
 * (rate-limited.ts) → HTTP (transport.ts); answer.ts judges each answer by the retry table.
 */
export interface AmocrmClient {
  /** amoCRM bound to an account already in hand (an AccountContext's client): no further read of its row. */
  forAccount(account: Account): AccountAmocrm;
  /** One call for an installed account, read for this call (a job of its own). */
  request<T = unknown>(accountId: number, call: AmocrmCall): Promise<AmocrmResult<T>>;
  /**
   * The same budget and retry table with a token in hand, for the install before the account is
   * stored. A 401 is not refreshed and a 403 blocks nothing (there is no account row yet).
   */
  requestWithToken<T = unknown>(target: SendTarget, call: AmocrmCall): Promise<AmocrmResult<T>>;
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
  store: Store;
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

export function createAmocrmClient(deps: AmocrmClientDeps): AmocrmClient {
  const opts = deps.options ?? {};
  const random = opts.random ?? Math.random;
  const retry: RetryOptions = {
    retries: opts.retries ?? 3,
    maxInlineWaitMs: opts.maxInlineWaitMs ?? 30_000,
    random,
    sleep: deps.sleep,
    logger: deps.logger,
  };
  const answers: AnswerDeps = { clock: deps.clock, logger: deps.logger, budget: deps.budget, random };
  const transport = createTransport({ http: deps.http, logger: deps.logger, readTimeoutMs: opts.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS });
  const budgeted = withRateBudget(deps.budget, transport);
  const authorized = withTokenRefresh(deps.tokens, budgeted);

  const requestFor = <T>(account: Account, call: AmocrmCall): Promise<AmocrmResult<T>> => {
    const baseUrl = accountBaseUrl(deps.amocrm, account);
    return withRetries(retry, { accountId: account.id, call: describeCall(call) }, async (attempt) => {
      const answer = await guarded(deps.guard, account, call, () => authorized(account, baseUrl, call));
      return interpretAnswer<T>(answers, account.id, answer, call, attempt);
    });
  };

  return {
    forAccount: (account) => bindEndpoints({ request: (call) => requestFor(account, call) }),
    async request<T>(accountId: number, call: AmocrmCall): Promise<AmocrmResult<T>> {
      const account = await deps.store.run((tx) => findAccount(tx, accountId));
      if (!account) throw notInstalledError(accountId);
      return requestFor<T>(account, call);
    },
    requestWithToken(target, call) {
      return withRetries(retry, { accountId: target.budgetKey, call: describeCall(call) }, async (attempt) => {
        const answer = await budgeted(target, call);
        if ('stale' in answer) throw new AmocrmError('amocrm_bad_response', 'unreachable: no validity check was given');
        return interpretAnswer(answers, target.budgetKey, answer, call, attempt);
      });
    },
  };
}
