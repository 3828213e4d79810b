import { ACCOUNT_STATES as STATES } from '../../shared/api.ts';
import type { accounts } from '../db/schema.ts';
import { parseAccountSettings, storedSettingsObject, type AccountSettings } from './account-settings.ts';
import { parseFieldIds, type LeadFieldIds } from './field-ids.ts';

type AccountRow = typeof accounts.$inferSelect;

/** active · needs_reconnect (amoCRM refused our tokens) · disconnected (the integration was disabled) · blocked (amoCRM answered 403). */
export type AccountState = AccountRow['state'];
export const ACCOUNT_STATES: readonly AccountState[] = STATES;

/**
 * An installed amoCRM account, read once per widget request, sync drain or job. The state fields
 * are mutable: when this process blocks, unblocks or disconnects the account, the copy in hand
 * follows at once (server/accounts/state-changes.ts), so the rest of the request sees it.
 */
export interface Account {
  readonly id: number;
  readonly subdomain: string;
  /** amocrm.ru · amocrm.com · kommo.com */
  readonly baseDomain: string;
  readonly name: string | null;
  state: AccountState;
  stateReason: string | null;
  /** While in the future, no amoCRM call is made (the 403 cool-down). */
  blockedUntil: number | null;
  /** Parsed, with the defaults filled in. */
  settings: AccountSettings;
  /** As stored: keys this server does not manage are kept when settings are saved. */
  storedSettings: Record<string, unknown>;
  fieldIds: LeadFieldIds;
  /** The admin who installed: tasks go to them when no responsible user is set. */
  readonly installedBy: number | null;
  readonly createdAt: number;
  updatedAt: number;
}

export function accountFromRow(row: AccountRow): Account {
  return {
    id: row.id,
    subdomain: row.subdomain,
    baseDomain: row.baseDomain,
    name: row.name,
    state: row.state,
    stateReason: row.stateReason,
    blockedUntil: row.blockedUntil,
    settings: parseAccountSettings(row.settings),
    storedSettings: storedSettingsObject(row.settings),
    fieldIds: parseFieldIds(row.fieldIds),
    installedBy: row.installedBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Who gets the exception tasks: the configured user, else the admin who installed. */
export function taskResponsibleUserId(account: Pick<Account, 'settings' | 'installedBy'>): number | null {
  return account.settings.taskResponsibleUserId ?? account.installedBy ?? null;
}
