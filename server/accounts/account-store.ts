import { eq, inArray, sql } from 'drizzle-orm';
import { prepared } from '../db/prepared.ts';
import { accounts } from '../db/schema.ts';
import type { Tx } from '../db/tx.ts';
import { resolveException } from '../exceptions/open-exception.ts';
import type { Db } from '../db/database.ts';
import type { AccountLanguage } from './account-language.ts';
import { parseAccountSettings, storedSettingsObject } from './account-settings.ts';
import { accountFromRow, type Account } from './account.ts';
import type { LeadFieldIds } from './field-ids.ts';
import { RECONNECT_EXCEPTION_KEY } from './state-changes.ts';

/** The account, or undefined when it never installed. One SELECT. */
export function findAccount(db: Tx, accountId: number): Account | undefined {
  const row = prepared(db, 'account.byId', () =>
    db
      .select()
      .from(accounts)
      .where(eq(accounts.id, sql.placeholder('id')))
      .prepare(),
  ).get({ id: accountId });
  return row ? accountFromRow(row) : undefined;
}

/** Several accounts in one SELECT (ids that never installed are left out). */
export function findAccounts(db: Tx, accountIds: readonly number[]): Account[] {
  if (accountIds.length === 0) return [];
  return db
    .select()
    .from(accounts)
    .where(inArray(accounts.id, [...accountIds]))
    .all()
    .map(accountFromRow);
}

/** Up to `limit` installed account ids other than `except` (local mode refuses a database holding any). */
export function accountIdsOtherThan(db: Tx, except: number, limit = 5): number[] {
  return db
    .select({ id: accounts.id })
    .from(accounts)
    .where(sql`${accounts.id} <> ${except}`)
    .limit(limit)
    .all()
    .map((r) => r.id);
}

/** Inside a caller's transaction: whether the account is installed (a payment may only belong to one). */
export function accountExists(tx: Tx, accountId: number): boolean {
  const query = prepared(tx, 'account.exists', () =>
    tx
      .select({ id: accounts.id })
      .from(accounts)
      .where(eq(accounts.id, sql.placeholder('id')))
      .prepare(),
  );
  return query.get({ id: accountId }) !== undefined;
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
export function recordInstall(tx: Tx, input: InstalledAccount, now: number): { reinstalled: boolean } {
  const existing = tx
    .select({ state: accounts.state, blockedUntil: accounts.blockedUntil })
    .from(accounts)
    .where(eq(accounts.id, input.id))
    .get();
  const { id, ...row } = input;
  if (existing) {
    const stillBlocked = existing.state === 'blocked' && (existing.blockedUntil ?? 0) > now;
    tx.update(accounts)
      .set({ ...row, updatedAt: now, ...(stillBlocked ? {} : { state: 'active' as const, stateReason: null, blockedUntil: null }) })
      .where(eq(accounts.id, id))
      .run();
  } else {
    tx.insert(accounts)
      .values({ id, ...row, state: 'active', createdAt: now, updatedAt: now })
      .run();
  }
  resolveException(tx, { accountId: id, key: RECONNECT_EXCEPTION_KEY, now });
  return { reinstalled: existing !== undefined };
}

/** Inside the settings transaction: the new `accounts.settings` object (unknown keys as the caller kept them). */
export function saveSettings(tx: Tx, accountId: number, settings: Record<string, unknown>, now: number): void {
  tx.update(accounts)
    .set({ settings: JSON.stringify(settings), updatedAt: now })
    .where(eq(accounts.id, accountId))
    .run();
}

/**
 * The language detected for an account that has none yet (server/accounts/account-language.ts),
 * stored as its `Settings.language` unless an admin chose one meanwhile; the account in hand follows.
 */
export function saveDetectedLanguage(db: Db, account: Account, language: AccountLanguage, now: number): void {
  db.transaction(
    (tx) => {
      const row = tx.select({ settings: accounts.settings }).from(accounts).where(eq(accounts.id, account.id)).get();
      const stored = storedSettingsObject(row?.settings);
      if (stored.language === undefined) saveSettings(tx, account.id, { ...stored, language }, now);
      account.storedSettings = { ...stored, language: stored.language ?? language };
      account.settings = parseAccountSettings(JSON.stringify(account.storedSettings));
    },
    { behavior: 'immediate' },
  );
}

/** The lead field ids found or created in amoCRM; the account in hand follows. */
export function saveFieldIds(db: Tx, account: Account, ids: LeadFieldIds, now: number): void {
  db.update(accounts)
    .set({ fieldIds: JSON.stringify(ids), updatedAt: now })
    .where(eq(accounts.id, account.id))
    .run();
  account.fieldIds = ids;
  account.updatedAt = now;
}
