import { expect } from 'chai';
import fc from 'fast-check';
import { createMemoryRateBudget, type RateBudget } from '../../../server/amocrm/rate-budget.ts';
import { createDbRateBudget } from '../../../server/amocrm/rate-budget-db.ts';
import { openDatabase } from '../../../server/db/database.ts';
import { VirtualClock } from './support/virtual-clock.ts';
import { maxInWindow } from './support/windows.ts';
import { createSqliteStore } from '../../../server/db/sqlite-store.ts';

describe('amoCRM rate budget', () => {
  it('never lets more than the limit arrive in any rolling second, whatever the latencies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 7 }),
        fc.array(
          fc.record({
            latency: fc.integer({ min: 0, max: 1500 }),
            arrival: fc.double({ min: 0, max: 1, noNaN: true }),
            gap: fc.integer({ min: 0, max: 400 }),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        async (rps, requests) => {
          const clock = new VirtualClock(0);
          const budget = createMemoryRateBudget({ rps, clock, sleep: (ms) => clock.sleep(ms) });
          const arrivals: number[] = [];
          await Promise.all(
            requests.map(async (r, i) => {
              await clock.sleep(requests.slice(0, i).reduce((s, x) => s + x.gap, 0));
              const permit = await budget.acquire(1);
              // amoCRM counts a request somewhere between sending and answering.
              await clock.sleep(Math.floor(r.latency * r.arrival));
              arrivals.push(clock.now());
              await clock.sleep(r.latency - Math.floor(r.latency * r.arrival));
              await permit.release();
            }),
          );
          expect(arrivals).to.have.length(requests.length);
          expect(maxInWindow(arrivals)).to.be.at.most(rps);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('caps a configured rps above 7 at 7', async () => {
    const clock = new VirtualClock(0);
    const budget = createMemoryRateBudget({ rps: 50, clock, sleep: (ms) => clock.sleep(ms) });
    const sent: number[] = [];
    await Promise.all(
      Array.from({ length: 30 }, async () => {
        const p = await budget.acquire(1);
        sent.push(clock.now());
        await p.release();
      }),
    );
    expect(maxInWindow(sent)).to.equal(7);
  });

  it('keeps accounts apart: one account at its limit does not slow another', async () => {
    const clock = new VirtualClock(0);
    const budget = createMemoryRateBudget({ rps: 5, clock, sleep: (ms) => clock.sleep(ms) });
    for (let i = 0; i < 5; i++) await (await budget.acquire(1)).release();
    const before = clock.now();
    await (await budget.acquire(2)).release();
    expect(clock.now()).to.equal(before);
  });

  it('sends nothing for a paused account until the pause ends', async () => {
    const clock = new VirtualClock(0);
    const budget = createMemoryRateBudget({ rps: 7, clock, sleep: (ms) => clock.sleep(ms) });
    budget.pause(1, 4_000);
    budget.pause(1, 2_000); // never shortens
    const p = await budget.acquire(1);
    expect(clock.now()).to.equal(4_000);
    await p.release();
  });

  it('shared through the database: two processes with their own budgets together stay within the limit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 7 }),
        fc.array(
          fc.record({
            latency: fc.integer({ min: 0, max: 1200 }),
            arrival: fc.double({ min: 0, max: 1, noNaN: true }),
            process: fc.integer({ min: 0, max: 1 }),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        async (rps, requests) => {
          const database = openDatabase(':memory:');
          const clock = new VirtualClock(0);
          const sleep = (ms: number) => clock.sleep(ms);
          const budgets: RateBudget[] = [0, 1].map(() => createDbRateBudget({ store: createSqliteStore(database), rps, clock, sleep }));
          const arrivals: number[] = [];
          await Promise.all(
            requests.map(async (r) => {
              const permit = await budgets[r.process].acquire(1);
              await clock.sleep(Math.floor(r.latency * r.arrival));
              arrivals.push(clock.now());
              await clock.sleep(r.latency - Math.floor(r.latency * r.arrival));
              await permit.release();
            }),
          );
          database.close();
          expect(arrivals).to.have.length(requests.length);
          expect(maxInWindow(arrivals)).to.be.at.most(rps);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('shared through the database: a 429 pause set by one process holds the other', async () => {
    const database = openDatabase(':memory:');
    const clock = new VirtualClock(0);
    const sleep = (ms: number) => clock.sleep(ms);
    const [a, b] = [0, 1].map(() => createDbRateBudget({ store: createSqliteStore(database), rps: 7, clock, sleep }));
    await a.pause(1, 3_000);
    expect(await b.pausedUntil(1)).to.equal(3_000);
    await (await b.acquire(1)).release();
    expect(clock.now()).to.equal(3_000);
    database.close();
  });
});
