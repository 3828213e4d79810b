import { and, eq, isNull, lte, or } from 'drizzle-orm';
import type { Step } from '../db/step.ts';
import type { Store } from '../db/store.ts';
import type { Tables, Tx } from '../db/tx.ts';
import { openException, resolveException } from '../exceptions/open-exception.ts';
import type { Account, AccountState } from './account.ts';

/**
 * Every change of an account's state, shared through its row so every process obeys it. Each is a
 * conditional UPDATE (it applies only from the states it names), and the account in hand follows
 * when it applied. `true`: this call changed the row.
 */

/** amoCRM's 403 blocks the whole account; probing sooner only prolongs it. */
export const BLOCK_COOLDOWN_MS = 10 * 60_000;

export const BLOCKED_EXCEPTION_KEY = 'account_blocked';
/** Opened when amoCRM refuses this server's IP address (the account whitelists API addresses). */
export const IP_REFUSED_EXCEPTION_KEY = 'account_ip_not_allowed';
/** Opened when amoCRM refuses our tokens; an install resolves it. */
export const RECONNECT_EXCEPTION_KEY = 'account_needs_reconnect';

type StateFields = Pick<Account, 'state' | 'stateReason' | 'blockedUntil' | 'updatedAt'>;
type Target = Pick<Account, 'id'> & StateFields;

const callable = ({ accounts }: Tables, accountId: number) =>
  and(eq(accounts.id, accountId), or(eq(accounts.state, 'active'), eq(accounts.state, 'blocked')));

function follow(account: Target, fields: Partial<StateFields>): void {
  Object.assign(account, fields);
}

/**
 * The cool-down is over: exactly one caller (in any process) wins the probe; the others, and this
 * account in hand if it lost, wait another cool-down.
 */
export async function claimProbe(store: Store, account: Target, now: number, cooldownMs: number): Promise<boolean> {
  const until = now + cooldownMs;
  const won = await store.run(function* (tx) {
    const { accounts } = tx.t;
    return yield* tx.run(
      tx
        .update(accounts)
        .set({ blockedUntil: until, updatedAt: now })
        .where(
          and(
            eq(accounts.id, account.id),
            eq(accounts.state, 'blocked'),
            or(isNull(accounts.blockedUntil), lte(accounts.blockedUntil, now)),
          ),
        ),
    );
  });
  follow(account, { blockedUntil: until });
  return won > 0;
}

/**
 * amoCRM answered 403: every call stops, the exception says what to do, a cool-down starts.
 * `ip_not_allowed`: the 403 named this server's IP address; the same pause, its own exception.
 */
export async function markBlocked(
  store: Store,
  account: Target,
  input: { detail: string; now: number; cooldownMs: number; reason?: 'amocrm_403' | 'ip_not_allowed' },
): Promise<boolean> {
  const { now } = input;
  const reason = input.reason ?? 'amocrm_403';
  const fields = {
    state: 'blocked' as const,
    blockedUntil: now + input.cooldownMs,
    stateReason: `amoCRM answered 403: ${input.detail}`.slice(0, 500),
    updatedAt: now,
  };
  const changed = await store.transaction(function* (tx) {
    if ((yield* tx.run(tx.update(tx.t.accounts).set(fields).where(callable(tx.t, account.id)))) === 0) return false;
    yield* openException(tx, {
      accountId: account.id,
      kind: 'account_blocked',
      key: reason === 'amocrm_403' ? BLOCKED_EXCEPTION_KEY : IP_REFUSED_EXCEPTION_KEY,
      reason,
      data: { cooldownMinutes: Math.round(input.cooldownMs / 60_000) },
      now,
    });
    return true;
  });
  if (changed) follow(account, fields);
  return changed;
}

/** A probe got a real answer that was not 403: the block is over. */
export async function markUnblocked(store: Store, account: Target, now: number): Promise<boolean> {
  const fields = { state: 'active' as const, blockedUntil: null, stateReason: null, updatedAt: now };
  const changed = await store.transaction(function* (tx) {
    const { accounts } = tx.t;
    const res = yield* tx.run(
      tx
        .update(accounts)
        .set(fields)
        .where(and(eq(accounts.id, account.id), eq(accounts.state, 'blocked'))),
    );
    yield* resolveException(tx, { accountId: account.id, key: BLOCKED_EXCEPTION_KEY, now });
    yield* resolveException(tx, { accountId: account.id, key: IP_REFUSED_EXCEPTION_KEY, now });
    return res > 0;
  });
  if (changed) follow(account, fields);
  return changed;
}

/** A probe got no answer: another probe may go at once instead of after a new cool-down. */
export async function markProbeInconclusive(store: Store, account: Target, now: number): Promise<void> {
  const res = await store.run(function* (tx) {
    const { accounts } = tx.t;
    return yield* tx.run(
      tx
        .update(accounts)
        .set({ blockedUntil: now, updatedAt: now })
        .where(and(eq(accounts.id, account.id), eq(accounts.state, 'blocked'))),
    );
  });
  if (res > 0) follow(account, { blockedUntil: now });
}

/** amoCRM refused the refresh token: calls stop until an admin installs again. */
export async function markNeedsReconnect(store: Store, account: Target, input: { detail: string; now: number }): Promise<boolean> {
  const { now } = input;
  const fields = { state: 'needs_reconnect' as const, stateReason: input.detail.slice(0, 500), blockedUntil: null, updatedAt: now };
  const changed = await store.transaction(function* (tx) {
    if ((yield* tx.run(tx.update(tx.t.accounts).set(fields).where(callable(tx.t, account.id)))) === 0) return false;
    yield* openException(tx, {
      accountId: account.id,
      kind: 'account_needs_reconnect',
      key: RECONNECT_EXCEPTION_KEY,
      reason: 'token_refused',
      data: {},
      now,
    });
    return true;
  });
  if (changed) follow(account, fields);
  return changed;
}

/**
 * Inside the disconnect's transaction: the integration was disabled in amoCRM. Returns whether the
 * account existed and was not disconnected already.
 */
export function* markDisconnected(tx: Tx, accountId: number, now: number): Step<boolean> {
  const { accounts } = tx.t;
  const row = yield* tx.get(tx.forUpdate(tx.select({ state: accounts.state }).from(accounts).where(eq(accounts.id, accountId))));
  if (!row) return false;
  yield* tx.run(
    tx
      .update(accounts)
      .set({
        state: 'disconnected',
        stateReason: `integration disabled in amoCRM at ${new Date(now).toISOString()}`,
        blockedUntil: null,
        updatedAt: now,
      })
      .where(eq(accounts.id, accountId)),
  );
  return row.state !== 'disconnected';
}

/**
 * The state as stored now, for a caller that waits on another process (a token refresh held by
 * another process may end with the account needing reconnect). Undefined when it never installed.
 */
export function* currentState(tx: Tx, accountId: number): Step<AccountState | undefined> {
  const { accounts } = tx.t;
  return (yield* tx.get(tx.select({ state: accounts.state }).from(accounts).where(eq(accounts.id, accountId))))?.state;
}
