import { expect } from 'chai';
import { createMetrics } from '../../../server/metrics/metrics.ts';
import { openLedger, type Ledger } from '../payments/ledger-fixture.ts';

describe('metrics: counted in memory', () => {
  let l: Ledger;
  beforeEach(async () => {
    l = await openLedger();
  });
  afterEach(() => l.close());

  it('keeps in-memory counters per app, so two apps in one process do not add up', async () => {
    const a = createMetrics({ store: l.store, clock: l.clock });
    const b = createMetrics({ store: l.store, clock: l.clock });
    a.notifications.inc({ provider: 'sandbox', result: 'rejected' });
    expect(await a.registry.metrics()).to.match(/dramlink_notifications_total\{provider="sandbox",result="rejected"\} 1/);
    expect(await b.registry.metrics()).to.not.match(/dramlink_notifications_total\{provider="sandbox"/);
  });
});
