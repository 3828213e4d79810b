import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { describeStores, openTestStore, txOf } from '../../support/stores.ts';
import type { Store } from '../../../server/db/store.ts';

describeStores('store conformance: ingest (group commit) answers only after commit, and one failure stays its own', (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await openTestStore(kind);
  });
  afterEach(() => store.close());

  const now = Date.UTC(2026, 0, 15);
  const lease = (name: string) =>
    store.ingest(function* (tx) {
      yield* tx.run(tx.insert(tx.t.leases).values({ name, holder: 'x', expiresAt: now }));
      if (name.endsWith('-bad')) throw new Error(`refused ${name}`);
      return name;
    });

  it('a hundred ingests at once: each resolves after its row is committed, a failing one rejects alone and leaves no row', async () => {
    const names = Array.from({ length: 100 }, (_, i) => (i % 10 === 3 ? `n${i}-bad` : `n${i}`));
    const db = await txOf(store);
    const settled = await Promise.allSettled(
      names.map((name) =>
        lease(name).then(async (v) => {
          // Answered: the row is there for any other connection (committed, not just written).
          const seen = await db.select().from(db.t.leases).where(eq(db.t.leases.name, name));
          return [v, seen.length];
        }),
      ),
    );
    const ok = settled.filter((s) => s.status === 'fulfilled').map((s) => (s as PromiseFulfilledResult<unknown[]>).value);
    expect(ok).to.have.length(90);
    expect(ok.every(([, n]) => n === 1)).to.equal(true);
    const bad = settled.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason.message));
    expect(bad).to.have.length(10);
    expect(bad[0]).to.match(/^refused n\d+-bad$/);
    const rows = await db.select().from(db.t.leases);
    expect(rows.map((r) => r.name).sort()).to.deep.equal(names.filter((n) => !n.endsWith('-bad')).sort());
  });

  it('a step that swallows a database error last in a batch: the others resolve only with their rows committed, never after a silent rollback', async () => {
    await store.transaction(function* (tx) {
      yield* tx.run(tx.insert(tx.t.leases).values({ name: 'taken', holder: 'x', expiresAt: now }));
    });
    const names = ['s0', 's1', 's2', 's3'];
    const others = names.map((name) => lease(name));
    const swallower = store.ingest(function* (tx) {
      try {
        yield* tx.run(tx.insert(tx.t.leases).values({ name: 'taken', holder: 'y', expiresAt: now }));
      } catch {
        // a duplicate key, ignored: on PostgreSQL the transaction is failed from here on
      }
      return 'swallowed';
    });
    const all = await Promise.allSettled([...others, swallower]);
    expect(all.slice(0, 4).map((s) => s.status)).to.deep.equal(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    // Refused on both stores (PostgreSQL cannot commit after it; SQLite refuses it the same way).
    expect(all[4].status).to.equal('rejected');
    const db = await txOf(store);
    const rows = await db.select().from(db.t.leases);
    expect(rows.map((r) => r.name).sort()).to.deep.equal([...names, 'taken'].sort());
    expect(rows.find((r) => r.name === 'taken')?.holder).to.equal('x');
  });
});
