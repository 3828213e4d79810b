import { expect } from 'chai';
import nock from 'nock';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { type AmocrmError } from '../../../server/amocrm/errors.ts';
import { readTokens } from '../../../server/amocrm/token-store.ts';
import { accounts, exceptions, leases } from '../../../server/db/schema.ts';
import { ACCOUNT_ID, BASE, unitHarness, type UnitHarness } from './support/unit-harness.ts';
import { runSync } from '../../../server/db/step.ts';

const MIN = 60_000;

function refreshReply(n: number) {
  return { token_type: 'Bearer', expires_in: 86400, access_token: `access-${n}`, refresh_token: `refresh-${n}` };
}

describe('amoCRM token lifecycle (nock at the transport)', () => {
  let h: UnitHarness;
  let dir: string | undefined;
  afterEach(() => {
    nock.cleanAll();
    h.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('uses the stored token while it has more than 15 minutes left, and refreshes ahead of expiry when it has less', async () => {
    h = await unitHarness({ tokenTtlMs: 16 * MIN });
    nock(BASE).get('/api/v4/account').matchHeader('authorization', 'Bearer access-1').reply(200, {});
    await h.amocrm.client.request(ACCOUNT_ID, { method: 'GET', path: '/api/v4/account' });
    h.clock.advance(2 * MIN);
    const scope = nock(BASE)
      .post(
        '/oauth2/access_token',
        (b) => b.grant_type === 'refresh_token' && b.refresh_token === 'refresh-1' && b.client_id === 'client-uuid',
      )
      .reply(200, refreshReply(2))
      .get('/api/v4/account')
      .matchHeader('authorization', 'Bearer access-2')
      .reply(200, {});
    await h.amocrm.client.request(ACCOUNT_ID, { method: 'GET', path: '/api/v4/account' });
    scope.done();
  });

  it('100 concurrent calls with an expired access token cause exactly one refresh request', async () => {
    h = await unitHarness({ tokenTtlMs: 60_000 });
    h.clock.advance(2 * MIN); // expired
    let refreshes = 0;
    nock(BASE)
      .post('/oauth2/access_token')
      .times(100)
      .delay(30)
      .reply(() => {
        refreshes++;
        return [200, refreshReply(refreshes + 1)];
      });
    const api = nock(BASE)
      .get(/\/api\/v4\/leads\/\d+/)
      .times(100)
      .matchHeader('authorization', 'Bearer access-2')
      .reply(200, {});
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => h.amocrm.client.request(ACCOUNT_ID, { method: 'GET', path: `/api/v4/leads/${i}` })),
    );
    expect(results).to.have.length(100);
    expect(refreshes).to.equal(1);
    api.done();
  });

  it('stores the new pair (one transaction) before anyone uses it', async () => {
    h = await unitHarness({ tokenTtlMs: 60_000 });
    h.clock.advance(2 * MIN);
    let storedWhenUsed: number | undefined;
    nock(BASE)
      .post('/oauth2/access_token')
      .reply(200, refreshReply(2))
      .get('/api/v4/account')
      .reply(() => {
        storedWhenUsed = runSync(readTokens(h.tx, h.secretBox, ACCOUNT_ID))!.version;
        return [200, {}];
      });
    await h.amocrm.client.request(ACCOUNT_ID, { method: 'GET', path: '/api/v4/account' });
    expect(storedWhenUsed).to.equal(2);
    const stored = runSync(readTokens(h.tx, h.secretBox, ACCOUNT_ID))!;
    expect(stored).to.include({ accessToken: 'access-2', refreshToken: 'refresh-2', version: 2 });
    expect(stored.expiresAt).to.equal(h.clock.now() + 86_400_000);
    expect(
      h.database.db
        .select()
        .from(leases)
        .all()
        .filter((l) => l.name.startsWith('token-refresh:')),
    ).to.deep.equal([]); // released
  });

  it('two processes on one database file (separate in-process state) still refresh once: the loser waits and re-reads', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dramlink-refresh-'));
    h = await unitHarness({ tokenTtlMs: 60_000, databasePath: join(dir, 'db.sqlite') });
    const other = h.secondProcess();
    h.clock.advance(2 * MIN);
    let refreshes = 0;
    nock(BASE)
      .post('/oauth2/access_token')
      .times(10)
      .delay(80)
      .reply(() => {
        refreshes++;
        return [200, refreshReply(refreshes + 1)];
      });
    nock(BASE)
      .get(/\/api\/v4\/leads\/\d+/)
      .times(100)
      .matchHeader('authorization', 'Bearer access-2')
      .reply(200, {});
    const calls = Array.from({ length: 100 }, (_, i) =>
      (i % 2 ? other : h.amocrm).client.request(ACCOUNT_ID, { method: 'GET', path: `/api/v4/leads/${i}` }),
    );
    await Promise.all(calls);
    expect(refreshes).to.equal(1);
  });

  for (const status of [401, 400]) {
    it(`a refresh answered ${status} marks the account needs_reconnect, records an exception and makes no further calls`, async () => {
      h = await unitHarness({ tokenTtlMs: 60_000 });
      h.clock.advance(2 * MIN);
      const scope = nock(BASE).post('/oauth2/access_token').reply(status, { title: 'Unauthorized', hint: 'Token has been revoked' });
      const calls = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => h.amocrm.client.request(ACCOUNT_ID, { method: 'GET', path: `/api/v4/leads/${i}` })),
      );
      scope.done();
      for (const c of calls) {
        expect(c.status).to.equal('rejected');
        expect(((c as PromiseRejectedResult).reason as AmocrmError).code).to.equal('amocrm_needs_reconnect');
      }
      const { db } = h.database;
      expect(db.select().from(accounts).where(eq(accounts.id, ACCOUNT_ID)).get()!.state).to.equal('needs_reconnect');
      const ex = db.select().from(exceptions).all();
      expect(ex.map((x) => x.kind)).to.deep.equal(['account_needs_reconnect']);

      // No retry loop: later calls fail at once without any request (nock has no interceptor left).
      h.clock.advance(60 * MIN);
      const later = await Promise.allSettled([h.amocrm.client.request(ACCOUNT_ID, { method: 'GET', path: '/api/v4/account' })]);
      expect(((later[0] as PromiseRejectedResult).reason as AmocrmError).code).to.equal('amocrm_needs_reconnect');
      expect(h.clock.sleeps.filter((ms) => ms >= 1000)).to.deep.equal([]);
    });
  }

  it('a refresh that fails for a passing reason (5xx) keeps a token that is not expired yet in use', async () => {
    h = await unitHarness({ tokenTtlMs: 10 * MIN });
    nock(BASE).post('/oauth2/access_token').times(4).reply(503, 'down');
    nock(BASE).get('/api/v4/account').matchHeader('authorization', 'Bearer access-1').reply(200, { ok: true });
    expect((await h.amocrm.client.request(ACCOUNT_ID, { method: 'GET', path: '/api/v4/account' })).data).to.deep.equal({ ok: true });
    expect(h.database.db.select().from(accounts).get()!.state).to.equal('active');
  });
});
