import { expect } from 'chai';
import { providerEvents } from '../../../server/db/schema.ts';
import { insertInboxRow } from '../../../server/payments/inbox.ts';
import { countOldUnverifiedRows, createInboxRetention, UNVERIFIED_RETENTION_MS } from '../../../server/webhooks/inbox-retention.ts';
import { seedAccount, startTestApp, type TestApp } from '../../support/test-app.ts';

describe('inbox retention: unverified rows go after 30 days, evidence stays', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  it('deletes unauthenticated ignored rows older than 30 days and keeps verified, applied and recent ones', async () => {
    const accountId = seedAccount(t);
    const { db } = t.app.services;
    const now = t.clock.now();
    const old = now - UNVERIFIED_RETENTION_MS - 1;
    const row = (key: string, authenticated: boolean, state: 'ignored' | 'applied', receivedAt: number) =>
      insertInboxRow(db, {
        accountId,
        provider: 'arca',
        dedupeKey: key,
        kind: 'notification',
        authenticated,
        raw: '{}',
        state,
        receivedAt,
      });
    db.transaction(() => {
      for (let i = 0; i < 2500; i++) row(`old-unsigned-${i}`, false, 'ignored', old);
      row('old-verified-ignored', true, 'ignored', old);
      row('old-verified-applied', true, 'applied', old);
      row('recent-unsigned', false, 'ignored', now - 86_400_000);
    });
    expect(countOldUnverifiedRows(db, now - UNVERIFIED_RETENTION_MS)).to.equal(2500);
    const loop = createInboxRetention({ db, clock: t.clock, logger: t.app.services.logger });
    expect(await loop.runOnce()).to.equal(2500);
    const left = db
      .select({ key: providerEvents.dedupeKey })
      .from(providerEvents)
      .all()
      .map((r) => r.key)
      .sort();
    expect(left).to.deep.equal(['old-verified-applied', 'old-verified-ignored', 'recent-unsigned']);
    expect(await loop.runOnce(), 'nothing left to delete').to.equal(0);
  });

  it('runs with the server: the app starts and stops the loop with the others', () => {
    expect(t.app.services.background.map((l) => l.name)).to.include('inbox retention');
  });
});
