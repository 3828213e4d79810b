import { expect } from 'chai';
import { claimStatusQuery, forgetStatusQuery, STATUS_QUERY_INTERVAL_MS } from '../../../server/payments/status-ration.ts';
import { describeStores } from '../../support/stores.ts';
import { concurrently, openInstances, type Instances } from './instances.ts';

describeStores('store conformance: status queries rationed across instances', (kind) => {
  let inst: Instances;
  beforeEach(async () => {
    inst = await openInstances(kind);
  });
  afterEach(() => inst.close());
  const now = Date.UTC(2026, 0, 15);

  it('fifteen askers on three instances at once: one query per attempt per 15 s, the window the same everywhere', async () => {
    const first = await concurrently(inst, 15, (store) => claimStatusQuery(store, 'att_9', now));
    expect(first.filter((r) => r.claimed)).to.have.length(1);
    const inside = await concurrently(inst, 6, (store) => claimStatusQuery(store, 'att_9', now + STATUS_QUERY_INTERVAL_MS - 1));
    expect(inside.filter((r) => r.claimed)).to.have.length(0);
    const next = await concurrently(inst, 6, (store) => claimStatusQuery(store, 'att_9', now + STATUS_QUERY_INTERVAL_MS));
    expect(next.filter((r) => r.claimed)).to.have.length(1);
  });

  it('a terminal attempt forgotten on one instance is claimable at once on another', async () => {
    expect((await claimStatusQuery(inst.at(0), 'att_10', now)).claimed).to.equal(true);
    await forgetStatusQuery(inst.at(1), 'att_10');
    expect((await claimStatusQuery(inst.at(2), 'att_10', now + 1)).claimed).to.equal(true);
  });
});
