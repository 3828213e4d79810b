import type { Account } from '../accounts/account.ts';
import { crmRefusal, notInstalledError, standingOf } from '../accounts/account-standing.ts';
import {
  BLOCK_COOLDOWN_MS,
  claimProbe,
  currentState,
  markBlocked,
  markNeedsReconnect,
  markProbeInconclusive,
  markUnblocked,
} from '../accounts/state-changes.ts';
import type { Store } from '../db/store.ts';
import type { Logger } from '../logging/logger.ts';
import type { Clock } from '../platform/clock.ts';
import { outcomeOf } from './answer.ts';
import { describeCall, type AmocrmCall } from './call.ts';
import { AmocrmError } from './errors.ts';
import { classify } from './retry-policy.ts';
import type { Answer } from './transport.ts';

export interface CallPermission {
  /** This call is the one probe allowed after a block's cool-down. */
  probe: boolean;
}

/**
 * Whether an account may be called at all, judged by server/accounts from the account in hand and
 * shared through its row so every process obeys it: a blocked account gets no call until its
 * cool-down ends, then exactly one probe; an account needing reconnect or disconnected gets none.
 */
export interface AccountGuard {
  /** Throws AmocrmError (account_blocked, needs_reconnect, not_connected) when no call may be made now. */
  check(account: Account): Promise<CallPermission>;
  /** For a process waiting on another one's token refresh: throws when the account, as stored now, lost its connection. */
  assertConnected(accountId: number): Promise<void>;
  /** amoCRM answered 403: stop every call, record the exception, cool down. */
  block(account: Account, detail: string): Promise<void>;
  /** amoCRM refused this server's IP address: the same pause as a block, its own exception for a person. */
  ipRefused(account: Account, detail: string): Promise<void>;
  /** A probe got a real answer that was not 403: the block is over. */
  unblock(account: Account): Promise<void>;
  /** A probe got no answer: allow another probe at once instead of a new cool-down. */
  probeInconclusive(account: Account): Promise<void>;
  /** The refresh token was refused: calls stop until an admin installs again. */
  needsReconnect(account: Account, detail: string): Promise<void>;
}

export function createAccountGuard(deps: { store: Store; clock: Clock; logger: Logger; cooldownMs?: number }): AccountGuard {
  const { store, clock, logger } = deps;
  const cooldownMs = Math.max(BLOCK_COOLDOWN_MS, deps.cooldownMs ?? BLOCK_COOLDOWN_MS);
  return {
    async check(account) {
      const now = clock.now();
      const refusal = crmRefusal(account, now);
      if (refusal) throw refusal;
      if (standingOf(account, now).kind === 'active') return { probe: false };
      if (!(await claimProbe(store, account, now, cooldownMs))) {
        throw new AmocrmError('amocrm_account_blocked', `amoCRM blocked account ${account.id}; another call is probing`, {
          blockedUntil: account.blockedUntil ?? now + cooldownMs,
        });
      }
      logger.info('amocrm: probing a blocked account after its cool-down', { accountId: account.id });
      return { probe: true };
    },
    async assertConnected(accountId) {
      const state = await store.run((tx) => currentState(tx, accountId));
      const refusal = state === undefined ? notInstalledError(accountId) : crmRefusal({ id: accountId, state, blockedUntil: null }, 0);
      if (refusal) throw refusal;
    },
    async block(account, detail) {
      if (await markBlocked(store, account, { detail, now: clock.now(), cooldownMs }))
        logger.warn('amocrm: account blocked (403); every call stops until the cool-down ends', {
          accountId: account.id,
          blockedUntil: account.blockedUntil,
          detail,
        });
    },
    async ipRefused(account, detail) {
      if (await markBlocked(store, account, { detail, now: clock.now(), cooldownMs, reason: 'ip_not_allowed' }))
        logger.error("amocrm: the account refuses this server's IP address; every call stops until an admin allows it", {
          accountId: account.id,
          detail,
        });
    },
    async unblock(account) {
      if (await markUnblocked(store, account, clock.now()))
        logger.info('amocrm: account unblocked, calls resume', { accountId: account.id });
    },
    async probeInconclusive(account) {
      await markProbeInconclusive(store, account, clock.now());
    },
    async needsReconnect(account, detail) {
      if (await markNeedsReconnect(store, account, { detail, now: clock.now() }))
        logger.error('amocrm: account needs reconnect; calls stop until an admin installs again', { accountId: account.id, detail });
    },
  };
}

/**
 * The guard as a wrapper around one attempt: refused before anything is sent when the account may
 * not be called; a 403 the retry table calls a block (or an IP refusal) pauses it, while a rights
 * 403 is that call's alone; the one probe after a cool-down lifts the pause on any other answer, or
 * allows another probe at once when it got none.
 */
export async function guarded(guard: AccountGuard, account: Account, call: AmocrmCall, attempt: () => Promise<Answer>): Promise<Answer> {
  const permission = await guard.check(account);
  try {
    const sent = await attempt();
    const action = 'res' in sent ? classify(outcomeOf(sent.res, call))?.action : undefined;
    if (action === 'block') await guard.block(account, `${describeCall(call)} answered 403`);
    else if (action === 'ip_refused') await guard.ipRefused(account, `${describeCall(call)} answered 403 naming this server's IP`);
    else if (permission.probe && 'res' in sent) await guard.unblock(account);
    else if (permission.probe) await guard.probeInconclusive(account);
    return sent;
  } catch (err) {
    if (permission.probe && err instanceof AmocrmError && !err.accountLevel) await guard.probeInconclusive(account);
    throw err;
  }
}
