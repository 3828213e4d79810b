import { AmocrmError } from '../amocrm/errors.ts';
import { ConflictError } from '../errors/app-error.ts';
import type { Account, AccountState } from './account.ts';

/** What an account's state allows at one moment: the one judgement every caller uses. */
export type AccountStanding =
  /** Calls and writes go ahead. */
  | { kind: 'active' }
  /** amoCRM answered 403: no call before `until`. */
  | { kind: 'blocked'; until: number }
  /** Blocked, and the cool-down is over: exactly one call (the probe) may go, whoever claims it first. */
  | { kind: 'probe_due' }
  /** amoCRM refused the refresh token: nothing goes until an admin installs again. */
  | { kind: 'needs_reconnect' }
  /** The integration was disabled in amoCRM (or never installed). */
  | { kind: 'disconnected' };

export function standingOf(account: Pick<Account, 'state' | 'blockedUntil'>, now: number): AccountStanding {
  switch (account.state) {
    case 'active':
      return { kind: 'active' };
    case 'needs_reconnect':
      return { kind: 'needs_reconnect' };
    case 'disconnected':
      return { kind: 'disconnected' };
    case 'blocked':
      return account.blockedUntil !== null && account.blockedUntil > now
        ? { kind: 'blocked', until: account.blockedUntil }
        : { kind: 'probe_due' };
  }
}

/** The sync worker may call amoCRM for it now (active, or a probe is due). */
export function mayCallAmocrm(account: Pick<Account, 'state' | 'blockedUntil'>, now: number): boolean {
  const { kind } = standingOf(account, now);
  return kind === 'active' || kind === 'probe_due';
}

/**
 * A manager's click may ask amoCRM (lead price, pipelines, user names) only while the account is
 * active: a blocked account's one probe is left to the sync worker, so a click never prolongs a block.
 */
export function answersInteractiveCalls(account: Pick<Account, 'state'>): boolean {
  return account.state === 'active';
}

/** The error an amoCRM call for this account fails with instead of being sent; undefined when it may go. */
export function crmRefusal(account: Pick<Account, 'id' | 'state' | 'blockedUntil'>, now: number): AmocrmError | undefined {
  const standing = standingOf(account, now);
  switch (standing.kind) {
    case 'active':
    case 'probe_due':
      return undefined;
    case 'disconnected':
      return new AmocrmError('amocrm_not_connected', `Account ${account.id} disconnected dramlink; calls resume after it installs again`);
    case 'needs_reconnect':
      return new AmocrmError('amocrm_needs_reconnect', `Account ${account.id} must install dramlink again: amoCRM refused its tokens`);
    case 'blocked':
      return new AmocrmError(
        'amocrm_account_blocked',
        `amoCRM blocked account ${account.id}; no call before ${new Date(standing.until).toISOString()}`,
        { blockedUntil: standing.until },
      );
  }
}

export function notInstalledError(accountId: number): AmocrmError {
  return new AmocrmError('amocrm_not_connected', `Account ${accountId} has not installed dramlink`);
}

const WIDGET_REFUSAL: Record<Exclude<AccountState, 'active'>, { code: string; message: string }> = {
  disconnected: {
    code: 'account_not_connected',
    message:
      'dramlink is disconnected from this account. An account administrator must install the integration again (Settings → Integrations → dramlink).',
  },
  needs_reconnect: {
    code: 'account_needs_reconnect',
    message:
      'dramlink lost access to this amoCRM account. An account administrator must reconnect it (Settings → Integrations → dramlink → reinstall); payments keep working and the lead will catch up after that.',
  },
  blocked: {
    code: 'account_blocked',
    message:
      'amoCRM has temporarily blocked API access for this account, so dramlink cannot update leads right now. Try again later; payments already sent keep working.',
  },
};

/**
 * The 409 a widget call gets for the account's state, or undefined when it may go on. Reads (GET)
 * still answer for an account that must reconnect or is blocked, so the panel can show the
 * payments and say what to do; a disconnected account answers nothing.
 */
export function widgetRefusal(account: Pick<Account, 'state'>, method: string): ConflictError | undefined {
  const { state } = account;
  if (state === 'active' || (state !== 'disconnected' && method === 'GET')) return undefined;
  const refusal = WIDGET_REFUSAL[state];
  return new ConflictError(refusal.code, refusal.message, { accountState: state });
}

/** The 409 for a token naming an account that never installed. */
export function notInstalledRefusal(accountId: number): ConflictError {
  return new ConflictError(
    'account_not_connected',
    `amoCRM account ${accountId} has not installed dramlink. An account administrator must install the integration first (Settings → Integrations → dramlink).`,
  );
}
