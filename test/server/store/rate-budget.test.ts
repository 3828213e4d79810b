import { expect } from 'chai';
import { createDbRateBudget } from '../../../server/amocrm/rate-budget-db.ts';
import { createDbServerBudget, withServerBudget } from '../../../server/amocrm/rate-budget-server.ts';
import { realSleep } from '../../../server/amocrm/sleep.ts';
import { systemClock } from '../../../server/platform/clock.ts';
import { describeStores } from '../../support/stores.ts';
import { busiestWindow } from '../../support/rate-window.ts';
import { concurrently, openInstances, type Instances } from './instances.ts';

describeStores('store conformance: the amoCRM rate budget is shared through the database', (kind) => {
  let inst: Instances;
  beforeEach(async () => {
    inst = await openInstances(kind);
  });
  afterEach(() => inst.close());

  /** `n` requests of one account spread over three instances' budgets; each "answers" after 20 ms. */
  async function send(budgets: Array<ReturnType<typeof createDbRateBudget>>, n: number, accountId = 77): Promise<number[]> {
    const starts: number[] = [];
    await concurrently(inst, n, async (_s, i) => {
      const permit = await budgets[i % budgets.length].acquire(accountId);
      starts.push(Date.now());
      await realSleep(20);
      await permit.release();
    });
    return starts;
  }

  it('never more than 7 requests of one account in any second, whatever the number of instances (real time)', async function () {
    this.timeout(20_000);
    const budgets = inst.stores.map((store) => createDbRateBudget({ store, rps: 7, clock: systemClock, sleep: realSleep }));
    const starts = await send(budgets, 22);
    expect(starts).to.have.length(22);
    expect(busiestWindow(starts)).to.be.at.most(7);
    // Three in-process budgets would have let 21 through at once: the test can fail.
    expect(busiestWindow(starts)).to.be.at.least(5);
  });

  it("a 429 pause taken on one instance holds every instance's requests of that account", async () => {
    const budgets = inst.stores.map((store) => createDbRateBudget({ store, rps: 7, clock: systemClock, sleep: realSleep }));
    const until = Date.now() + 400;
    await budgets[0].pause(77, until);
    expect(await budgets[2].pausedUntil(77)).to.equal(until);
    const permit = await budgets[1].acquire(77);
    expect(Date.now()).to.be.at.least(until);
    await permit.release();
    expect(await budgets[2].pausedUntil(78), 'another account is not paused').to.equal(0);
  });

  it('the server-wide budget is shared too: three instances, two accounts, at most `rps` in any second overall', async function () {
    this.timeout(20_000);
    const budgets = inst.stores.map((store) =>
      withServerBudget(
        createDbRateBudget({ store, rps: 7, clock: systemClock, sleep: realSleep }),
        createDbServerBudget({ store, rps: 5, clock: systemClock, sleep: realSleep }),
      ),
    );
    const starts: number[] = [];
    await concurrently(inst, 16, async (_s, i) => {
      const permit = await budgets[i % 3].acquire(i % 2 ? 77 : 78);
      starts.push(Date.now());
      await realSleep(20);
      await permit.release();
    });
    expect(busiestWindow(starts)).to.be.at.most(5);
  });
});
