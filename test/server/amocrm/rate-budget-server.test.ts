import { expect } from 'chai';
import { createMemoryRateBudget, type RateBudget } from '../../../server/amocrm/rate-budget.ts';
import { createDbRateBudget } from '../../../server/amocrm/rate-budget-db.ts';
import { createDbServerBudget, fairShare, withServerBudget } from '../../../server/amocrm/rate-budget-server.ts';
import { openDatabase, type DatabaseHandle } from '../../../server/db/database.ts';
import { VirtualClock } from './support/virtual-clock.ts';
import { maxInWindow } from './support/windows.ts';
import { createSqliteStore } from '../../../server/db/sqlite-store.ts';

/** `count` requests of one account, each holding its permit for `latencyMs`; resolves with when each was sent. */
async function burst(budget: RateBudget, clock: VirtualClock, accountId: number, count: number, latencyMs = 50): Promise<number[]> {
  const sent: number[] = [];
  await Promise.all(
    Array.from({ length: count }, async () => {
      const permit = await budget.acquire(accountId);
      sent.push(clock.now());
      await clock.sleep(latencyMs);
      await permit.release();
    }),
  );
  return sent;
}

describe('amoCRM server-wide budget (AMOCRM_SERVER_RPS)', () => {
  let database: DatabaseHandle;
  let clock: VirtualClock;
  beforeEach(() => {
    database = openDatabase(':memory:');
    clock = new VirtualClock(0);
  });
  afterEach(() => database.close());
  const server = (rps: number) => createDbServerBudget({ store: createSqliteStore(database), rps, clock, sleep: (ms) => clock.sleep(ms) });

  it('shares the limit among the accounts holding or waiting, never less than one slot each', () => {
    expect(fairShare(7, 1)).to.equal(7);
    expect(fairShare(7, 2)).to.equal(4);
    expect(fairShare(7, 3)).to.equal(3);
    expect(fairShare(7, 20)).to.equal(1);
  });

  it('never lets the accounts together send more than the server limit in any rolling second', async () => {
    const budget = server(4);
    const all = (await Promise.all([1, 2, 3].map((id) => burst(budget, clock, id, 12)))).flat();
    expect(all).to.have.length(36);
    expect(maxInWindow(all)).to.be.at.most(4);
  });

  it('is fair: a busy account with 40 queued requests does not starve one that asks for 3', async () => {
    const budget = server(4);
    const busy = burst(budget, clock, 1, 40);
    await clock.sleep(100);
    const quietStarted = clock.now();
    const quiet = await burst(budget, clock, 2, 3);
    const busySent = await busy;
    // Two accounts share 4 slots a second, 2 each: the quiet account's 3 requests take about two
    // windows, not the busy account's 10 seconds (40 requests at 4 per second).
    expect(Math.max(...quiet) - quietStarted).to.be.below(2_500);
    expect(Math.max(...busySent)).to.be.above(5_000);
    expect(maxInWindow([...busySent, ...quiet])).to.be.at.most(4);
  });

  it('a pause (a 429) holds every account until it ends, and never shortens', async () => {
    const budget = server(7);
    await budget.pause(1, 3_000);
    await budget.pause(1, 1_000);
    expect(await budget.pausedUntil(2)).to.equal(3_000);
    const [sent] = await burst(budget, clock, 2, 1);
    expect(sent).to.equal(3_000);
  });

  it('shared through the database: two processes with their own budget objects stay within the server limit together', async () => {
    const a = server(3);
    const b = server(3);
    const sent = (await Promise.all([burst(a, clock, 1, 10), burst(b, clock, 2, 10), burst(b, clock, 1, 5)])).flat();
    expect(maxInWindow(sent)).to.be.at.most(3);
  });

  it('composed around the per-account budget: each account stays within AMOCRM_RPS and all of them within the server limit', async () => {
    const perAccount = createDbRateBudget({ store: createSqliteStore(database), rps: 2, clock, sleep: (ms) => clock.sleep(ms) });
    const budget = withServerBudget(perAccount, server(5));
    const [one, two, three] = await Promise.all([1, 2, 3].map((id) => burst(budget, clock, id, 8)));
    for (const own of [one, two, three]) expect(maxInWindow(own)).to.be.at.most(2);
    expect(maxInWindow([...one, ...two, ...three])).to.be.at.most(5);
    // A 429 pauses the account's own budget and the whole server's.
    await budget.pause(1, clock.now() + 2_000);
    expect(await perAccount.pausedUntil(1)).to.equal(clock.now() + 2_000);
    expect(await budget.pausedUntil(3)).to.equal(clock.now() + 2_000);
  });

  it('without AMOCRM_SERVER_RPS two accounts are limited only by their own budgets', async () => {
    const budget = createMemoryRateBudget({ rps: 5, clock, sleep: (ms) => clock.sleep(ms) });
    const sent = (await Promise.all([burst(budget, clock, 1, 5), burst(budget, clock, 2, 5)])).flat();
    expect(maxInWindow(sent)).to.equal(10);
  });
});
