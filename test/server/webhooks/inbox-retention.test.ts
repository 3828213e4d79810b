import { expect } from 'chai';
import type { Tx } from '../../../server/db/tx.ts';
import { insertInboxRow } from '../../../server/payments/inbox.ts';
import { countOldUnverifiedRows, createInboxRetention, UNVERIFIED_RETENTION_MS } from '../../../server/webhooks/inbox-retention.ts';
import { seedAccount, startTestApp, type TestApp } from '../../support/test-app.ts';
import { describeStores } from '../../support/stores.ts';

describeStores('inbox retention: unverified rows go after 30 days, evidence stays', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ store: kind });
  });
  afterEach(() => t.close());

  it('deletes unauthenticated ignored rows older than 30 days and keeps verified, applied and recent ones', async () => {
    const accountId = await seedAccount(t);
    const { store } = t.app.services;
    const now = t.clock.now();
    const old = now - UNVERIFIED_RETENTION_MS - 1;
    const row = (tx: Tx, key: string, authenticated: boolean, state: 'ignored' | 'applied', receivedAt: number) =>
      insertInboxRow(tx, {
        accountId,
        provider: 'arca',
        dedupeKey: key,
        kind: 'notification',
        authenticated,
        raw: '{}',
        state,
        receivedAt,
      });
    await store.transaction(function* (tx) {
      for (let i = 0; i < 2500; i++) yield* row(tx, `old-unsigned-${i}`, false, 'ignored', old);
      yield* row(tx, 'old-verified-ignored', true, 'ignored', old);
      yield* row(tx, 'old-verified-applied', true, 'applied', old);
      yield* row(tx, 'recent-unsigned', false, 'ignored', now - 86_400_000);
    });
    expect(await countOldUnverifiedRows(store, now - UNVERIFIED_RETENTION_MS)).to.equal(2500);
    const loop = createInboxRetention({ store, clock: t.clock, logger: t.app.services.logger });
    expect(await loop.runOnce()).to.equal(2500);
    const { providerEvents } = t.db.t;
    const left = (await t.db.select({ key: providerEvents.dedupeKey }).from(providerEvents)).map((r) => r.key).sort();
    expect(left).to.deep.equal(['old-verified-applied', 'old-verified-ignored', 'recent-unsigned']);
    expect(await loop.runOnce(), 'nothing left to delete').to.equal(0);
  });

  it('runs with the server: the app starts and stops the loop with the others', () => {
    expect(t.app.services.background.map((l) => l.name)).to.include('inbox retention');
  });
});
