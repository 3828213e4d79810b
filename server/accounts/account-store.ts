import { eq, inArray, ne, sql } from 'drizzle-orm';
import type { Step } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';
import { resolveException } from '../exceptions/open-exception.ts';
import type { AccountLanguage } from './account-language.ts';
import { parseAccountSettings, storedSettingsObject } from './account-settings.ts';
import { accountFromRow, type Account } from './account.ts';
import type { LeadFieldIds } from './field-ids.ts';
import { RECONNECT_EXCEPTION_KEY } from './state-changes.ts';

/** The account, or undefined when it never installed. One SELECT. */
export function* findAccount(tx: Tx, accountId: number): Step<Account | undefined> {
  const { accounts } = tx.t;
  const statement = tx.prepared('account.byId', () =>
    tx
      .select()
      .from(accounts)
      .where(eq(accounts.id, sql.placeholder('id')))
      .prepare(),
  );
  const row = yield* tx.get(statement, { id: accountId });
  return row ? accountFromRow(row) : undefined;
}

/** Several accounts in one SELECT (ids that never installed are left out). */
export function* findAccounts(tx: Tx, accountIds: readonly number[]): Step<Account[]> {
  if (accountIds.length === 0) return [];
  const { accounts } = tx.t;
  const rows = yield* tx.all(
    tx
      .select()
      .from(accounts)
      .where(inArray(accounts.id, [...accountIds]))
      .orderBy(accounts.id),
  );
  return rows.map(accountFromRow);
}

/** Up to `limit` installed account ids other than `except` (local mode refuses a database holding any). */
export function* accountIdsOtherThan(tx: Tx, except: number, limit = 5): Step<number[]> {
  const { accounts } = tx.t;
  const rows = yield* tx.all(
    tx.select({ id: accounts.id }).from(accounts).where(ne(accounts.id, except)).orderBy(accounts.id).limit(limit),
  );
  return rows.map((r) => r.id);
}

/** Whether the account is installed (a payment may only belong to one). */
export function* accountExists(tx: Tx, accountId: number): Step<boolean> {
  const { accounts } = tx.t;
  const statement = tx.prepared('account.exists', () =>
    tx
      .select({ id: accounts.id })
      .from(accounts)
      .where(eq(accounts.id, sql.placeholder('id')))
      .prepare(),
  );
  return (yield* tx.get(statement, { id: accountId })) !== undefined;
}

export interface InstalledAccount {
  id: number;
  subdomain: string;
  baseDomain: string;
  name: string | null;
  installedBy: number | null;
}

/**
 * Inside the install's transaction: the account row created, or updated on a reinstall (settings,
 * field ids and payments kept). A reinstall makes the account active again, except that it does not
 * lift an amoCRM block still cooling down. Returns whether the account had installed before.
 */
export function* recordInstall(tx: Tx, input: InstalledAccount, now: number): Step<{ reinstalled: boolean }> {
  const { accounts } = tx.t;
  const existing = yield* tx.get(
    tx.forUpdate(tx.select({ state: accounts.state, blockedUntil: accounts.blockedUntil }).from(accounts).where(eq(accounts.id, input.id))),
  );
  const { id, ...row } = input;
  if (existing) {
    const stillBlocked = existing.state === 'blocked' && (existing.blockedUntil ?? 0) > now;
    yield* tx.run(
      tx
        .update(accounts)
        .set({ ...row, updatedAt: now, ...(stillBlocked ? {} : { state: 'active' as const, stateReason: null, blockedUntil: null }) })
        .where(eq(accounts.id, id)),
    );
  } else {
    // Two installs of a new account at once (another instance): the second updates what the first inserted.
    yield* tx.run(
      tx
        .insert(accounts)
        .values({ id, ...row, state: 'active', createdAt: now, updatedAt: now })
        .onConflictDoUpdate({ target: accounts.id, set: { ...row, updatedAt: now } }),
    );
  }
  yield* resolveException(tx, { accountId: id, key: RECONNECT_EXCEPTION_KEY, now });
  return { reinstalled: existing !== undefined };
}

/** Inside the settings transaction: the new `accounts.settings` object (unknown keys as the caller kept them). */
export function* saveSettings(tx: Tx, accountId: number, settings: Record<string, unknown>, now: number): Step<void> {
  const { accounts } = tx.t;
  yield* tx.run(
    tx
      .update(accounts)
      .set({ settings: JSON.stringify(settings), updatedAt: now })
      .where(eq(accounts.id, accountId)),
  );
}

/**
 * The language detected for an account that has none yet (server/accounts/account-language.ts),
 * stored as its `Settings.language` unless an admin chose one meanwhile; the account in hand follows.
 */
export function* saveDetectedLanguage(tx: Tx, account: Account, language: AccountLanguage, now: number): Step<void> {
  const { accounts } = tx.t;
  const row = yield* tx.get(tx.forUpdate(tx.select({ settings: accounts.settings }).from(accounts).where(eq(accounts.id, account.id))));
  const stored = storedSettingsObject(row?.settings);
  if (stored.language === undefined) yield* saveSettings(tx, account.id, { ...stored, language }, now);
  account.storedSettings = { ...stored, language: stored.language ?? language };
  account.settings = parseAccountSettings(JSON.stringify(account.storedSettings));
}

/** The lead field ids found or created in amoCRM; the account in hand follows. */
export function* saveFieldIds(tx: Tx, account: Account, ids: LeadFieldIds, now: number): Step<void> {
  const { accounts } = tx.t;
  yield* tx.run(
    tx
      .update(accounts)
      .set({ fieldIds: JSON.stringify(ids), updatedAt: now })
      .where(eq(accounts.id, account.id)),
  );
  account.fieldIds = ids;
  account.updatedAt = now;
}
