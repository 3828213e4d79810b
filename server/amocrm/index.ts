import type { Account } from '../accounts/account.ts';
import type { Config } from '../config/config.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Store } from '../db/store.ts';
import type { Logger } from '../logging/logger.ts';
import type { Clock } from '../platform/clock.ts';
import type { HttpClient } from '../platform/http-client.ts';
import { createAccountGuard, type AccountGuard } from './account-guard.ts';
import { createAmocrmClient, DEFAULT_READ_TIMEOUT_MS, type AmocrmClient, type AmocrmClientOptions } from './client.ts';
import type { AccountAmocrm } from './endpoints/index.ts';
import { disconnectAccount, type DisconnectInput } from './disconnect.ts';
import { installAccount, type InstallInput, type InstallResult } from './install.ts';
import { ensureLeadFields, type LeadFieldIds } from './lead-fields.ts';
import type { RateBudget } from './rate-budget.ts';
import { createDbRateBudget } from './rate-budget-db.ts';
import { createDbServerBudget, withServerBudget } from './rate-budget-server.ts';
import { sleepOf, type Sleep } from './sleep.ts';
import { createTokenManager, type TokenManager } from './token-refresher.ts';

/** Everything the server does with amoCRM: AppServices.amocrm. */
export interface AmocrmServices {
  client: AmocrmClient;
  tokens: TokenManager;
  guard: AccountGuard;
  budget: RateBudget;
  /** GET /oauth/callback. */
  install(input: InstallInput): Promise<InstallResult>;
  /** GET /oauth/disconnect; throws AuthError 401 on a wrong client or signature. */
  disconnect(input: DisconnectInput): Promise<{ accountId: number; disconnected: boolean }>;
  /** Finds or creates the dramlink lead fields and stores their ids (the account in hand follows). */
  ensureLeadFields(target: { account: Account; amocrm: AccountAmocrm }): Promise<LeadFieldIds>;
}

export interface AmocrmServicesDeps {
  config: Config;
  store: Store;
  clock: Clock;
  http: HttpClient;
  logger: Logger;
  secretBox: SecretBox;
  /** Default: the clock's own sleep when it has one (virtual clocks in tests), else real timers. */
  sleep?: Sleep;
  /** Default: the budget shared through the database by every process (createDbRateBudget); createMemoryRateBudget is the in-process one. */
  budget?: RateBudget;
  /** Names this process in refresh leases (tests simulate two processes). */
  processId?: string;
  client?: AmocrmClientOptions;
}

export function createAmocrmServices(deps: AmocrmServicesDeps): AmocrmServices {
  const { config, store, clock, http, logger, secretBox } = deps;
  const sleep = deps.sleep ?? sleepOf(clock);
  const perAccount = deps.budget ?? createDbRateBudget({ store, rps: config.amocrm.rps, clock, sleep });
  // AMOCRM_SERVER_RPS: the whole server's budget composed around each account's (Kommo limits by IP).
  const { serverRps } = config.amocrm;
  const budget = serverRps ? withServerBudget(perAccount, createDbServerBudget({ store, rps: serverRps, clock, sleep })) : perAccount;
  const guard = createAccountGuard({ store, clock, logger });
  const timeoutMs = deps.client?.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
  const tokens = createTokenManager({
    store,
    clock,
    http,
    secretBox,
    logger,
    guard,
    budget,
    amocrm: config.amocrm,
    timeoutMs,
    holder: deps.processId,
  });
  const client = createAmocrmClient({
    store,
    clock,
    http,
    logger,
    guard,
    tokens,
    budget,
    sleep,
    amocrm: config.amocrm,
    options: deps.client,
  });
  return {
    client,
    tokens,
    guard,
    budget,
    install: (input) => installAccount({ store, clock, http, logger, secretBox, client, amocrm: config.amocrm, timeoutMs }, input),
    disconnect: (input) => disconnectAccount({ store, clock, logger, amocrm: config.amocrm }, input),
    ensureLeadFields: (target) => ensureLeadFields({ store, clock, logger, processId: deps.processId }, target),
  };
}

export { AmocrmError, isAmocrmError } from './errors.ts';
export type { AmocrmClient, AmocrmCall, AmocrmResult } from './client.ts';
export type { AccountAmocrm } from './endpoints/index.ts';
