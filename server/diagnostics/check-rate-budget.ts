import { eq } from 'drizzle-orm';
import { standingOf } from '../accounts/account-standing.ts';
import { accountBudgetInUse } from '../amocrm/rate-budget-db.ts';
import { serverBudgetInUse } from '../amocrm/rate-budget-server.ts';
import { accounts } from '../db/schema.ts';
import { fail, pass, type Check, type CheckContext } from './check.ts';

/**
 * The request budgets: AMOCRM_RPS for this account, AMOCRM_SERVER_RPS for the server, what they
 * hold now, a 429 pause or a block. Several Kommo accounts without a server cap is a failure:
 * Kommo counts (and blocks) by IP address.
 */
export function checkRateBudget(c: CheckContext): Check {
  const now = c.clock.now();
  const { rps, serverRps } = c.config.amocrm;
  const own = accountBudgetInUse(c.db, c.account.id, now);
  const server = serverRps ? serverBudgetInUse(c.db, now) : undefined;
  const parts = [
    `AMOCRM_RPS=${rps}: ${own.slots} of ${rps} slots taken in the last second (doctor's own calls included)${own.pausedUntil ? `, paused by a 429 until ${new Date(own.pausedUntil).toISOString()}` : ''}`,
    server
      ? `AMOCRM_SERVER_RPS=${serverRps}: ${server.slots} taken, ${server.waiting} account(s) waiting${server.pausedUntil ? `, paused until ${new Date(server.pausedUntil).toISOString()}` : ''}`
      : 'no server-wide cap (AMOCRM_SERVER_RPS unset)',
  ];
  const standing = standingOf(c.account, now);
  if (standing.kind === 'blocked') {
    return fail(
      'rate_budget',
      `${parts.join('; ')}; amoCRM blocked the account: no call before ${new Date(standing.until).toISOString()}`,
      'See the account_blocked exception: if the block stays, ask amoCRM support to lift it.',
    );
  }
  const kommo = c.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.baseDomain, 'kommo.com')).all().length;
  if (!serverRps && kommo > 1) {
    return fail(
      'rate_budget',
      `${parts.join('; ')}; ${kommo} Kommo accounts share this server's IP address`,
      'Set AMOCRM_SERVER_RPS=7: Kommo limits requests by IP, so these accounts together must stay within 7 per second.',
    );
  }
  return pass('rate_budget', parts.join('; '));
}
