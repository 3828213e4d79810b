import { expect } from 'chai';
import { acquireLease, leaseHolder, releaseLease } from '../../../server/db/lease.ts';
import { describeStores } from '../../support/stores.ts';
import { concurrently, openInstances, type Instances } from './instances.ts';

describeStores('store conformance: the token-refresh lease, one holder across instances', (kind) => {
  let inst: Instances;
  beforeEach(async () => {
    inst = await openInstances(kind);
  });
  afterEach(() => inst.close());
  const name = 'amocrm-refresh:4242';
  const now = Date.UTC(2026, 0, 15);

  it('fifteen instances-worth of askers at once: exactly one gets the lease, and only it may release it', async () => {
    const got = await concurrently(inst, 15, (store, i) => acquireLease(store, { name, holder: `h${i}`, now, ttlMs: 30_000 }));
    expect(got.filter(Boolean)).to.have.length(1);
    const winner = `h${got.indexOf(true)}`;
    expect(await leaseHolder(inst.at(2), name, now)).to.equal(winner);
    await releaseLease(inst.at(1), { name, holder: 'someone-else' });
    expect(await leaseHolder(inst.at(0), name, now), 'a stranger cannot release it').to.equal(winner);
    expect(await acquireLease(inst.at(1), { name, holder: winner, now: now + 1, ttlMs: 30_000 }), 'the holder renews').to.equal(true);
    await releaseLease(inst.at(2), { name, holder: winner });
    expect(await leaseHolder(inst.at(0), name, now)).to.equal(undefined);
  });

  it("a crashed holder's lease expires, and then exactly one of the waiting instances takes it over", async () => {
    expect(await acquireLease(inst.at(0), { name, holder: 'crashed', now, ttlMs: 30_000 })).to.equal(true);
    const early = await concurrently(inst, 6, (store, i) =>
      acquireLease(store, { name, holder: `w${i}`, now: now + 29_999, ttlMs: 30_000 }),
    );
    expect(early.filter(Boolean)).to.have.length(0);
    const later = await concurrently(inst, 6, (store, i) =>
      acquireLease(store, { name, holder: `w${i}`, now: now + 30_000, ttlMs: 30_000 }),
    );
    expect(later.filter(Boolean)).to.have.length(1);
  });
});
