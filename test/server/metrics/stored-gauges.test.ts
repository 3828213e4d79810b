import { expect } from 'chai';
import { createMetrics } from '../../../server/metrics/metrics.ts';
import { newPayment, openLedger, type Ledger } from '../payments/ledger-fixture.ts';

describe('metrics: counts read from the database', () => {
  let l: Ledger;
  beforeEach(async () => {
    l = await openLedger();
  });
  afterEach(() => l.close());

  const scrape = () => createMetrics({ store: l.store, clock: l.clock }).registry.metrics();

  it('reads ledger events and the outbox back from the database, so a restarted process does not report 0', async () => {
    await newPayment(l);
    // A fresh registry, as after a restart: nothing was counted in this one's memory.
    const text = await scrape();
    expect(text).to.match(/dramlink_ledger_transitions\{action="created"\} 1/);
    expect(text).to.match(/dramlink_sync_queue_depth\{state="pending"\} [1-9]/);
  });

  it('reports every outbox state, 0 included, so an alert on dead letters has a series before the first one', async () => {
    const text = await scrape();
    for (const state of ['pending', 'in_flight', 'failing', 'dead']) {
      expect(text).to.contain(`dramlink_sync_queue_depth{state="${state}"} 0`);
    }
  });

  it('ages the oldest unsent CRM write by the injected clock, not the wall clock', async () => {
    await newPayment(l);
    l.clock.advance(90_000);
    expect(await scrape()).to.match(/dramlink_sync_oldest_age_seconds 90\b/);
  });
});
