import { tokenTimes } from '../amocrm/token-store.ts';
import { KEEP_ALIVE_AFTER_MS } from '../amocrm/keep-alive.ts';
import { ago, describe, fail, pass, type Check, type CheckContext } from './check.ts';

/** amoCRM's refresh token dies after three months unused. */
const REFRESH_TOKEN_LIFE_MS = 90 * 24 * 3_600_000;
const REINSTALL = 'An account admin installs dramlink again (amoCRM → Settings → Integrations → dramlink).';

/**
 * The account's OAuth pair: stored, when it was last refreshed, and whether amoCRM takes the access
 * token now (GET /api/v4/account). Never refreshes it: doctor changes nothing; an access token that
 * expired is normal for a quiet account (the server refreshes it before its next call).
 */
export async function checkTokens(c: CheckContext): Promise<Check> {
  const now = c.clock.now();
  const { account } = c;
  if (account.state === 'needs_reconnect' || account.state === 'disconnected') {
    return fail('tokens', `the account is ${account.state}${account.stateReason ? ` (${account.stateReason})` : ''}`, REINSTALL);
  }
  const times = await c.store.run((tx) => tokenTimes(tx, account.id));
  if (!times) return fail('tokens', 'no tokens are stored for this account', REINSTALL);
  const refreshed = `last refreshed ${new Date(times.updatedAt).toISOString()} (${ago(now, times.updatedAt)})`;
  if (now - times.updatedAt > REFRESH_TOKEN_LIFE_MS) {
    return fail('tokens', `${refreshed}: the refresh token has most likely expired (3 months unused)`, REINSTALL);
  }
  const stale = now - times.updatedAt > KEEP_ALIVE_AFTER_MS ? '; older than 30 days: the daily keep-alive refreshes it' : '';
  if (times.expiresAt <= now) {
    return pass(
      'tokens',
      `access token expired ${new Date(times.expiresAt).toISOString()} (the server refreshes it before its next call); ${refreshed}${stale}; checks that call amoCRM are skipped`,
    );
  }
  if ('unavailable' in c.amocrm)
    return fail(
      'tokens',
      `${refreshed}; amoCRM cannot be called: ${c.amocrm.unavailable}`,
      'Wait for the block to end, or see the account_blocked exception.',
    );
  try {
    const me = await c.amocrm.account.get();
    return pass(
      'tokens',
      `amoCRM accepts the access token (account ${me.id}${me.name ? ` "${me.name}"` : ''}), valid until ${new Date(times.expiresAt).toISOString()}; ${refreshed}${stale}`,
    );
  } catch (err) {
    return fail(
      'tokens',
      `amoCRM refused the stored access token: ${describe(err)}`,
      'Open a lead card (the server refreshes the token on a 401); if it stays refused, an account admin installs dramlink again.',
    );
  }
}
