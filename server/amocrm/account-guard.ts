import { and, eq, isNull, lte, or } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { accounts } from '../db/schema.ts';
import { openException, resolveException } from '../exceptions/open-exception.ts';
import type { Logger } from '../logging/logger.ts';
import type { Clock } from '../platform/clock.ts';
import { AmocrmError } from './errors.ts';

/** amoCRM's 403 blocks the whole account; probing sooner only prolongs it (amocrm.md section 6). */
export const BLOCK_COOLDOWN_MS = 10 * 60_000;

export const BLOCKED_EXCEPTION_KEY = 'account_blocked';
export const RECONNECT_EXCEPTION_KEY = 'account_needs_reconnect';

export interface CallPermission {
  /** This call is the one probe allowed after a block's cool-down. */
  probe: boolean;
}

/**
 * Whether an account may be called at all, shared through the accounts row so every process
 * obeys it: a blocked account gets no call until its cool-down ends, then exactly one probe; an
 * account needing reconnect or disconnected gets none.
 */
export interface AccountGuard {
  /** Throws AmocrmError (account_blocked, needs_reconnect, not_connected) when no call may be made now. */
  check(accountId: number): CallPermission;
  /** Throws when the account needs reconnect or is not connected; a block does not matter here (no side effect). */
  assertConnected(accountId: number): void;
  /** amoCRM answered 403: stop every call, record the exception, cool down. */
  block(accountId: number, detail: string): void;
  /** A probe got a real answer that was not 403: the block is over. */
  unblock(accountId: number): void;
  /** A probe got no answer: allow another probe at once instead of a new cool-down. */
  probeInconclusive(accountId: number): void;
  /** The refresh token was refused: calls stop until an admin installs again. */
  needsReconnect(accountId: number, detail: string): void;
}

export function createAccountGuard(deps: { db: Db; clock: Clock; logger: Logger; cooldownMs?: number }): AccountGuard {
  const { db, clock, logger } = deps;
  const cooldownMs = Math.max(BLOCK_COOLDOWN_MS, deps.cooldownMs ?? BLOCK_COOLDOWN_MS);

  return {
    check(accountId) {
      const now = clock.now();
      const row = db
        .select({ state: accounts.state, blockedUntil: accounts.blockedUntil })
        .from(accounts)
        .where(eq(accounts.id, accountId))
        .get();
      if (!row) throw new AmocrmError('amocrm_not_connected', `Account ${accountId} has not installed dramlink`);
      switch (row.state) {
        case 'active':
          return { probe: false };
        case 'disconnected':
          throw new AmocrmError('amocrm_not_connected', `Account ${accountId} disconnected dramlink; calls resume after it installs again`);
        case 'needs_reconnect':
          throw new AmocrmError('amocrm_needs_reconnect', `Account ${accountId} must install dramlink again: amoCRM refused its tokens`);
        case 'blocked': {
          if (row.blockedUntil !== null && row.blockedUntil > now) {
            throw new AmocrmError(
              'amocrm_account_blocked',
              `amoCRM blocked account ${accountId}; no call before ${new Date(row.blockedUntil).toISOString()}`,
              {
                blockedUntil: row.blockedUntil,
              },
            );
          }
          // The cool-down is over: exactly one caller (in any process) wins the probe, the others wait another cool-down.
          const until = now + cooldownMs;
          const won = db
            .update(accounts)
            .set({ blockedUntil: until, updatedAt: now })
            .where(
              and(
                eq(accounts.id, accountId),
                eq(accounts.state, 'blocked'),
                or(isNull(accounts.blockedUntil), lte(accounts.blockedUntil, now)),
              ),
            )
            .run();
          if (won.changes === 0) {
            throw new AmocrmError('amocrm_account_blocked', `amoCRM blocked account ${accountId}; another call is probing`, {
              blockedUntil: until,
            });
          }
          logger.info('amocrm: probing a blocked account after its cool-down', { accountId });
          return { probe: true };
        }
      }
    },

    assertConnected(accountId) {
      const row = db.select({ state: accounts.state }).from(accounts).where(eq(accounts.id, accountId)).get();
      if (!row || row.state === 'disconnected')
        throw new AmocrmError('amocrm_not_connected', `Account ${accountId} is not connected to dramlink`);
      if (row.state === 'needs_reconnect')
        throw new AmocrmError('amocrm_needs_reconnect', `Account ${accountId} must install dramlink again: amoCRM refused its tokens`);
    },

    block(accountId, detail) {
      const now = clock.now();
      const until = now + cooldownMs;
      const changed = db.transaction((tx) => {
        const res = tx
          .update(accounts)
          .set({ state: 'blocked', blockedUntil: until, stateReason: `amoCRM answered 403: ${detail}`.slice(0, 500), updatedAt: now })
          .where(and(eq(accounts.id, accountId), or(eq(accounts.state, 'active'), eq(accounts.state, 'blocked'))))
          .run();
        if (res.changes === 0) return false;
        openException(tx, {
          accountId,
          kind: 'account_blocked',
          key: BLOCKED_EXCEPTION_KEY,
          reason: 'amocrm_403',
          data: { cooldownMinutes: Math.round(cooldownMs / 60_000) },
          now,
        });
        return true;
      });
      if (changed)
        logger.warn('amocrm: account blocked (403); every call stops until the cool-down ends', { accountId, blockedUntil: until, detail });
    },

    unblock(accountId) {
      const now = clock.now();
      const changed = db.transaction((tx) => {
        const res = tx
          .update(accounts)
          .set({ state: 'active', blockedUntil: null, stateReason: null, updatedAt: now })
          .where(and(eq(accounts.id, accountId), eq(accounts.state, 'blocked')))
          .run();
        resolveException(tx, { accountId, key: BLOCKED_EXCEPTION_KEY, now });
        return res.changes > 0;
      });
      if (changed) logger.info('amocrm: account unblocked, calls resume', { accountId });
    },

    probeInconclusive(accountId) {
      const now = clock.now();
      db.update(accounts)
        .set({ blockedUntil: now, updatedAt: now })
        .where(and(eq(accounts.id, accountId), eq(accounts.state, 'blocked')))
        .run();
    },

    needsReconnect(accountId, detail) {
      const now = clock.now();
      const changed = db.transaction((tx) => {
        const res = tx
          .update(accounts)
          .set({ state: 'needs_reconnect', stateReason: detail.slice(0, 500), blockedUntil: null, updatedAt: now })
          .where(and(eq(accounts.id, accountId), or(eq(accounts.state, 'active'), eq(accounts.state, 'blocked'))))
          .run();
        if (res.changes === 0) return false;
        openException(tx, {
          accountId,
          kind: 'account_needs_reconnect',
          key: RECONNECT_EXCEPTION_KEY,
          reason: 'token_refused',
          data: {},
          now,
        });
        return true;
      });
      if (changed) logger.error('amocrm: account needs reconnect; calls stop until an admin installs again', { accountId, detail });
    },
  };
}
