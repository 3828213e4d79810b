import { expect } from 'chai';
import type { CommitSignal } from '../../../server/db/commit-signals.ts';
import { createLogger } from '../../../server/logging/logger.ts';
import { createBroadcastSyncWake } from '../../../server/sync/sync-wake-broadcast.ts';
import { describeStores, POSTGRES_URL } from '../../support/stores.ts';
import { openInstances, type Instances } from './instances.ts';

const now = Date.UTC(2026, 0, 15);

describeStores('store conformance: commit signals after the commit only (what wakes the sync)', (kind) => {
  let inst: Instances;
  let seen: CommitSignal[];
  beforeEach(async () => {
    inst = await openInstances(kind, 1);
    seen = [];
    inst.at(0).subscribeCommits((s) => seen.push(s));
  });
  afterEach(() => inst.close());

  const write = (name: string, accountId: number, fail = false) =>
    function* (tx: Parameters<Parameters<Instances['stores'][0]['transaction']>[0]>[0]) {
      yield* tx.run(tx.insert(tx.t.leases).values({ name, holder: 'h', expiresAt: now }));
      tx.afterCommit({ topic: 'outbox', accountId });
      tx.afterCommit({ topic: 'outbox', accountId });
      if (fail) throw new Error('rolled back');
    };

  it('a transaction: one signal per account after it commits; a rolled-back one: none', async () => {
    await inst.at(0).transaction(write('a', 1));
    expect(seen).to.deep.equal([{ topic: 'outbox', accountId: 1 }]);
    const err = await inst
      .at(0)
      .transaction(write('b', 2, true))
      .catch((e: Error) => e.message);
    expect(err).to.equal('rolled back');
    expect(seen).to.have.length(1);
  });

  it('group commit: the step whose savepoint rolled back signals nothing, the others after the commit', async () => {
    const results = await Promise.allSettled([
      inst.at(0).ingest(write('c', 3)),
      inst.at(0).ingest(write('d', 4, true)),
      inst.at(0).ingest(write('e', 5)),
    ]);
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    expect(seen.map((s) => s.accountId).sort()).to.deep.equal([3, 5]);
  });
});

(POSTGRES_URL ? describe : describe.skip)('sync wake over PostgreSQL LISTEN/NOTIFY: a commit on one instance wakes the others', () => {
  let inst: Instances;
  beforeEach(async () => {
    inst = await openInstances('postgres', 3);
  });
  afterEach(() => inst.close());

  it("an outbox change committed on instance A wakes B's and C's sync workers with the account, and A's own at once", async () => {
    const logger = createLogger({ level: 'error' });
    const wakes = inst.stores.map((store) => {
      const wake = createBroadcastSyncWake(store.broadcast!, logger);
      store.subscribeCommits((s) => wake.notify(s.accountId));
      return wake;
    });
    const heard: number[][] = [[], [], []];
    wakes.forEach((w, i) => w.subscribe((id) => heard[i].push(id)));
    await new Promise((r) => setTimeout(r, 200)); // the LISTEN connections are up
    await inst.at(0).transaction(function* (tx) {
      yield* tx.run(tx.insert(tx.t.leases).values({ name: 'x', holder: 'h', expiresAt: now }));
      tx.afterCommit({ topic: 'outbox', accountId: 42 });
    });
    expect(heard[0], 'its own worker, directly').to.deep.equal([42]);
    const deadline = Date.now() + 3000;
    while ((heard[1].length === 0 || heard[2].length === 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(heard).to.deep.equal([[42], [42], [42]]);
  });
});
