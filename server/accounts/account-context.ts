import type { AmocrmClient } from '../amocrm/client.ts';
import { accountBaseUrl } from '../amocrm/base-url.ts';
import type { AccountAmocrm } from '../amocrm/endpoints/index.ts';
import type { Store } from '../db/store.ts';
import type { Clock } from '../platform/clock.ts';
import type { Account, AccountState } from './account.ts';
import type { AccountSettings } from './account-settings.ts';
import { findAccount, findAccounts } from './account-store.ts';
import { standingOf, type AccountStanding } from './account-standing.ts';

/**
 * What a widget request, a sync drain or a job knows about its account, read once: the account,
 * its state, where its amoCRM lives, and an amoCRM client bound to it (every call through the
 * guard, token, rate budget and retry table, without reading the account again).
 */
export interface AccountContext {
  readonly accountId: number;
  /** The row, parsed. Its state follows what this process does to the account meanwhile (a 403 blocks it at once). */
  readonly account: Account;
  /** The state now (see `account`). */
  readonly state: AccountState;
  /** The account's settings, parsed with the defaults filled in. */
  readonly settings: AccountSettings;
  /** What the state allows at this moment: active, blocked until when, a probe due, needs reconnect, disconnected. */
  standing(): AccountStanding;
  /** `https://{subdomain}.{domain}`, or AMOCRM_BASE_URL. */
  readonly baseUrl: string;
  readonly amocrm: AccountAmocrm;
}

export interface AccountContexts {
  /** The account's context, one SELECT; undefined when it never installed. */
  load(accountId: number): Promise<AccountContext | undefined>;
  /** Contexts for several accounts in one SELECT (ids that never installed are left out). */
  loadMany(accountIds: readonly number[]): Promise<AccountContext[]>;
  /** A context for an account already read. */
  of(account: Account): AccountContext;
}

export interface AccountContextsDeps {
  store: Store;
  clock: Clock;
  client: Pick<AmocrmClient, 'forAccount'>;
  amocrm: { baseUrl?: string };
}

export function createAccountContexts(deps: AccountContextsDeps): AccountContexts {
  const of = (account: Account): AccountContext => ({
    accountId: account.id,
    account,
    get state() {
      return account.state;
    },
    get settings() {
      return account.settings;
    },
    standing: () => standingOf(account, deps.clock.now()),
    baseUrl: accountBaseUrl(deps.amocrm, account),
    amocrm: deps.client.forAccount(account),
  });
  return {
    of,
    async load(accountId) {
      const account = await deps.store.run((tx) => findAccount(tx, accountId));
      return account ? of(account) : undefined;
    },
    loadMany: async (accountIds) => (await deps.store.run((tx) => findAccounts(tx, accountIds))).map(of),
  };
}
