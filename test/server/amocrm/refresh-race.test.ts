import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { type AmocrmError } from '../../../server/amocrm/errors.ts';
import { accounts, exceptions } from '../../../server/db/schema.ts';
import { maxInWindow } from './support/windows.ts';
import { extraStack, installWithSandbox, newLeadPayment, startEmulatedApp, type EmulatedApp } from './support/emulated-app.ts';

describe('token refresh against the amoCRM emulator (single-use refresh tokens)', () => {
  let e: EmulatedApp;
  let accountId: number;
  beforeEach(async () => {
    e = await startEmulatedApp();
    accountId = await installWithSandbox(e);
    e.emu.expireAccessTokens(accountId);
  });
  afterEach(() => e.close());

  const call = (amocrm = e.t.app.services.amocrm, i = 0) =>
    amocrm.client.request(accountId, { method: 'GET', path: '/api/v4/account', query: { i } });

  it('100 concurrent calls answered 401 cause exactly one refresh, and all succeed', async () => {
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => call(undefined, i)));
    expect(results.every((r) => r.status === 200)).to.equal(true);
    expect(e.emu.refreshCount(accountId)).to.equal(1);
  });

  it('two processes sharing the database (separate single-flight, lease holder and budget object) still refresh once, and never get a 429', async () => {
    const other = extraStack(e, { processId: 'process-b' }).amocrm;
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => call(i % 2 ? other : undefined, i)));
    expect(results.every((r) => r.status === 200)).to.equal(true);
    expect(e.emu.refreshCount(accountId)).to.equal(1);
    const api = e.emu.requests.filter((r) => r.path.startsWith('/api/v4/'));
    expect(api.filter((r) => r.status === 429)).to.deep.equal([]);
    expect(maxInWindow(api.map((r) => r.at))).to.be.at.most(7);
  });

  it('a refresh answered 401 (revoked) marks the account needs_reconnect, records an exception, and stops calling', async () => {
    e.emu.revokeTokens(accountId);
    const settled = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => call(undefined, i)));
    for (const s of settled) {
      expect(s.status).to.equal('rejected');
      expect(((s as PromiseRejectedResult).reason as AmocrmError).code).to.equal('amocrm_needs_reconnect');
    }
    const oauthCalls = e.emu.requests.filter((r) => r.path === '/oauth2/access_token' && r.query && r.method === 'POST');
    const refreshCalls = oauthCalls.filter((r) => (r.body as { grant_type?: string }).grant_type === 'refresh_token');
    expect(refreshCalls).to.have.length(1);
    const { db } = e.t;
    expect((await db.select().from(db.t.accounts).where(eq(db.t.accounts.id, accountId)))[0].state).to.equal('needs_reconnect');
    expect((await db.select().from(db.t.exceptions)).map((x) => x.kind)).to.deep.equal(['account_needs_reconnect']);

    await newLeadPayment(e);
    const before = e.emu.requests.length;
    e.clock.advance(3_600_000);
    await call().catch(() => undefined);
    await e.t.app.services.syncWorker.runOnce();
    expect(e.emu.requests.length).to.equal(before);

    // Installing again heals it and resolves the exception.
    expect((await e.install()).status).to.equal(303);
    expect(db.select().from(accounts).get()!.state).to.equal('active');
    expect(db.select().from(exceptions).get()!.resolvedAt).to.be.a('number');
    expect((await call()).status).to.equal(200);
  });
});
