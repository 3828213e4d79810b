import { eq, sql } from 'drizzle-orm';
import { standingOf } from '../accounts/account-standing.ts';
import { accountBudgetInUse } from '../amocrm/rate-budget-db.ts';
import { serverBudgetInUse } from '../amocrm/rate-budget-server.ts';
import { fail, pass, type Check, type CheckContext } from './check.ts';

/**
 * The request budgets: AMOCRM_RPS for this account, AMOCRM_SERVER_RPS for the server, what they
 * hold now, a 429 pause or a block. Several Kommo accounts without a server cap is a failure:
 * Kommo counts (and blocks) by IP address.
 */
export async function checkRateBudget(c: CheckContext): Promise<Check> {
  const now = c.clock.now();
  const { rps, serverRps } = c.config.amocrm;
  const own = await accountBudgetInUse(c.store, c.account.id, now);
  const server = serverRps ? await serverBudgetInUse(c.store, now) : undefined;
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
  const kommo = await c.store.run(function* (tx) {
    const { accounts } = tx.t;
    const row = yield* tx.get(
      tx
        .select({ n: sql<number>`count(*)` })
        .from(accounts)
        .where(eq(accounts.baseDomain, 'kommo.com')),
    );
    return row?.n ?? 0;
  });
  if (!serverRps && kommo > 1) {
    return fail(
      'rate_budget',
      `${parts.join('; ')}; ${kommo} Kommo accounts share this server's IP address`,
      'Set AMOCRM_SERVER_RPS=7: Kommo limits requests by IP, so these accounts together must stay within 7 per second.',
    );
  }
  return pass('rate_budget', parts.join('; '));
}
