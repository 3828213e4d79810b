import { expect } from 'chai';
import nock from 'nock';
import { eq } from 'drizzle-orm';
import { KEEP_ALIVE_AFTER_MS, keepAliveOnce, type KeepAliveDeps } from '../../../server/amocrm/keep-alive.ts';
import { readTokens, writeTokens } from '../../../server/amocrm/token-store.ts';
import { accounts, exceptions } from '../../../server/db/schema.ts';
import { ACCOUNT_ID, BASE, unitHarness, type UnitHarness } from './support/unit-harness.ts';
import { runSync } from '../../../server/db/step.ts';

const DAY = 24 * 3_600_000;
const refreshReply = (n: number) => ({
  token_type: 'Bearer',
  expires_in: 86400,
  access_token: `access-${n}`,
  refresh_token: `refresh-${n}`,
});

describe('amoCRM keep-alive: idle accounts are refreshed before their refresh token dies', () => {
  let h: UnitHarness;
  let deps: KeepAliveDeps;
  beforeEach(async () => {
    h = await unitHarness();
    deps = { store: h.store, clock: h.clock, logger: h.logger, tokens: h.amocrm.tokens };
  });
  afterEach(() => {
    nock.cleanAll();
    h.close();
  });
  const state = () => h.database.db.select().from(accounts).where(eq(accounts.id, ACCOUNT_ID)).get()!.state;

  it('leaves a pair refreshed within 30 days alone, and refreshes one stored 31 days ago exactly once', async () => {
    h.clock.advance(29 * DAY);
    expect(await keepAliveOnce(deps)).to.deep.equal({ refreshed: 0, revoked: 0, failed: 0 });
    h.clock.advance(2 * DAY);
    const scope = nock(BASE)
      .post('/oauth2/access_token', (b) => b.grant_type === 'refresh_token' && b.refresh_token === 'refresh-1')
      .reply(200, refreshReply(2));
    expect(await keepAliveOnce(deps)).to.deep.equal({ refreshed: 1, revoked: 0, failed: 0 });
    scope.done();
    const stored = runSync(readTokens(h.tx, h.secretBox, ACCOUNT_ID))!;
    expect(stored).to.include({ refreshToken: 'refresh-2', updatedAt: h.clock.now() });
    // The next day's sweep finds nothing to do (nock has no interceptor left: a call would fail).
    h.clock.advance(DAY);
    expect(await keepAliveOnce(deps)).to.deep.equal({ refreshed: 0, revoked: 0, failed: 0 });
  });

  it('a refresh amoCRM refuses as revoked marks the account needs_reconnect with an exception for a person', async () => {
    h.clock.advance(KEEP_ALIVE_AFTER_MS + DAY);
    nock(BASE).post('/oauth2/access_token').reply(401, { title: 'Unauthorized', hint: 'Token has been revoked' });
    expect(await keepAliveOnce(deps)).to.deep.equal({ refreshed: 0, revoked: 1, failed: 0 });
    expect(state()).to.equal('needs_reconnect');
    const open = h.database.db.select().from(exceptions).all();
    expect(open.map((x) => [x.kind, x.reason, x.resolvedAt])).to.deep.equal([['account_needs_reconnect', 'token_refused', null]]);
  });

  it('a passing failure (amoCRM down) changes nothing and is tried again the next day', async () => {
    h.clock.advance(KEEP_ALIVE_AFTER_MS + DAY);
    nock(BASE).post('/oauth2/access_token').reply(503, 'down');
    expect(await keepAliveOnce(deps)).to.deep.equal({ refreshed: 0, revoked: 0, failed: 1 });
    expect(state()).to.equal('active');
    h.clock.advance(DAY);
    nock(BASE).post('/oauth2/access_token').reply(200, refreshReply(2));
    expect((await keepAliveOnce(deps)).refreshed).to.equal(1);
  });

  it('skips accounts that may not be called (blocked, needs reconnect): no request is made for them', async () => {
    h.database.db
      .update(accounts)
      .set({ state: 'blocked', blockedUntil: h.clock.now() + DAY })
      .run();
    h.clock.advance(KEEP_ALIVE_AFTER_MS + DAY);
    expect(await keepAliveOnce(deps)).to.deep.equal({ refreshed: 0, revoked: 0, failed: 0 });
  });

  it('does not refresh again when another process refreshed between the sweep reading and refreshing', async () => {
    h.clock.advance(KEEP_ALIVE_AFTER_MS + DAY);
    await h.store.transaction((tx) =>
      writeTokens(tx, h.secretBox, ACCOUNT_ID, { accessToken: 'a-9', refreshToken: 'r-9', expiresIn: 86400 }, h.clock.now()),
    );
    expect(await keepAliveOnce(deps)).to.deep.equal({ refreshed: 0, revoked: 0, failed: 0 });
  });
});
