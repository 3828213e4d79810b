import { expect } from 'chai';
import { writeTokens } from '../../../../server/amocrm/token-store.ts';
import { readTokenClaims } from '../../../../server/widget-api/auth/token-claims.ts';
import { expectError, startWidgetFixture, type WidgetFixture } from '../widget-fixture.ts';

/** The server's own users lookups, as the emulator recorded them. */
const userLookups = (f: WidgetFixture) => f.emu.requests.filter((r) => /^\/api\/v4\/users\/\d+$/.test(r.path));

async function metric(f: WidgetFixture, name: string): Promise<string[]> {
  const text = await (await fetch(`${f.t.url}/metrics`)).text();
  return text.split('\n').filter((l) => l.startsWith(name));
}

/** The account's tokens become those of another user (as if that user had installed dramlink). */
async function installedBy(f: WidgetFixture, userId: number): Promise<void> {
  const pair = f.emu.issueTokens(f.accountId, { userId });
  const { store, secretBox } = f.t.app.services;
  await store.transaction((tx) =>
    writeTokens(
      tx,
      secretBox,
      f.accountId,
      { accessToken: pair.access_token, refreshToken: pair.refresh_token, expiresIn: pair.expires_in },
      f.t.clock.now(),
    ),
  );
}

describe('widget API against what amoCRM does not document about disposable tokens (emulator)', () => {
  let f: WidgetFixture;
  afterEach(() => f.close());

  describe('a token reused by $authorizedAjax', () => {
    it('is accepted by default (AMOCRM_TOKEN_REPLAY=log): every panel call works, each reuse counted in /metrics, logged once', async () => {
      f = await startWidgetFixture();
      f.emu.setDisposableTokens({ reuse: true });
      const token = f.emu.authorizedAjaxToken(f.accountId, { userId: f.managerId });
      for (let i = 0; i < 4; i++) expect((await f.api('GET', '/exceptions', { token })).status).to.equal(200);
      expect(f.emu.authorizedAjaxToken(f.accountId, { userId: f.managerId })).to.equal(token);
      expect(await metric(f, 'dramlink_disposable_token_reuses_total')).to.deep.equal([
        'dramlink_disposable_token_reuses_total{outcome="accepted"} 3',
      ]);
      expect(f.t.logs().filter((l) => l.includes('disposable token reused'))).to.have.length(1);
      expect(await f.t.store.run((tx) => readTokenClaims(tx, f.accountId))).to.include({ jtiReuses: 3 });
    });

    it('is refused after its first use with AMOCRM_TOKEN_REPLAY=reject (the panel then gets 401 token_replayed)', async () => {
      f = await startWidgetFixture({ env: { AMOCRM_TOKEN_REPLAY: 'reject' } });
      f.emu.setDisposableTokens({ reuse: true });
      const token = f.emu.authorizedAjaxToken(f.accountId);
      expect((await f.api('GET', '/exceptions', { token })).status).to.equal(200);
      expectError(await f.api('GET', '/exceptions', { token }), 401, 'token_replayed');
      expect(await metric(f, 'dramlink_disposable_token_reuses_total')).to.deep.equal([
        'dramlink_disposable_token_reuses_total{outcome="rejected"} 1',
      ]);
      // Refused, but recorded for doctor (whose token_claims line then says to switch to log).
      expect(await f.t.store.run((tx) => readTokenClaims(tx, f.accountId))).to.include({ jtiReuses: 1 });
    });

    it("is never accepted for another user: the same jti in another user's token is refused even in log mode", async () => {
      f = await startWidgetFixture();
      const token = f.token({ admin: true, overrides: { jti: 'shared-jti' } });
      expect((await f.api('GET', '/exceptions', { token })).status).to.equal(200);
      const other = f.token({ userId: f.managerId, overrides: { jti: 'shared-jti' } });
      expectError(await f.api('GET', '/exceptions', { token: other }), 401, 'token_replayed');
    });
  });

  describe('a token without is_admin', () => {
    beforeEach(async () => {
      f = await startWidgetFixture();
      f.emu.setDisposableTokens({ isAdminClaim: false });
    });

    it('lets an admin in after asking amoCRM (GET /api/v4/users/{id} → rights.is_admin), once for several calls', async () => {
      const token = () => f.emu.authorizedAjaxToken(f.accountId, { userId: f.adminId });
      expect((await f.api('GET', '/settings', { token: token() })).status).to.equal(200);
      expect((await f.api('GET', '/settings', { token: token() })).status).to.equal(200);
      const panel = await f.api('GET', `/leads/${f.emu.addLead(f.accountId).id}/payments`, { token: token() });
      expect(panel.body.context.isAdmin).to.equal(true);
      expect(userLookups(f).map((r) => r.path)).to.deep.equal([`/api/v4/users/${f.adminId}`]);
      // Five minutes later the answer is asked again.
      f.t.clock.advance(5 * 60_000 + 1);
      expect((await f.api('GET', '/settings', { token: token() })).status).to.equal(200);
      expect(userLookups(f)).to.have.length(2);
      expect((await f.t.store.run((tx) => readTokenClaims(tx, f.accountId)))!.adminClaim).to.deep.equal({ present: false, absent: true });
    });

    it('keeps a manager out with 403 admin_only, as amoCRM says', async () => {
      const token = f.emu.authorizedAjaxToken(f.accountId, { userId: f.managerId });
      expectError(await f.api('GET', '/settings', { token }), 403, 'admin_only');
    });

    it('fails closed with 403 admin_check_unavailable when amoCRM cannot say (the installing user is no admin), and the panel just hides admin actions', async () => {
      await installedBy(f, f.managerId);
      const token = () => f.emu.authorizedAjaxToken(f.accountId, { userId: f.adminId });
      expectError(await f.api('GET', '/settings', { token: token() }), 403, 'admin_check_unavailable');
      const panel = await f.api('GET', `/leads/${f.emu.addLead(f.accountId).id}/payments`, { token: token() });
      expect(panel.status).to.equal(200);
      expect(panel.body.context.isAdmin).to.equal(false);
      // The rights 403 of the users lookup never blocked the account.
      expect(panel.body.context.accountState).to.equal('active');
    });

    it('fails closed when amoCRM does not answer in time', async () => {
      f.emu.faults.add({ path: new RegExp(`^/api/v4/users/${f.adminId}$`), delayMs: 4_000 });
      const token = f.emu.authorizedAjaxToken(f.accountId, { userId: f.adminId });
      expectError(await f.api('GET', '/settings', { token }), 403, 'admin_check_unavailable');
    });
  });

  it('records the claim names, lifetime and is_admin presence of the tokens seen, never a value', async () => {
    f = await startWidgetFixture();
    await f.api('GET', '/exceptions', { token: f.token({ admin: true }) });
    const record = (await f.t.store.run((tx) => readTokenClaims(tx, f.accountId)))!;
    expect(record.claimNames).to.deep.equal([
      'account_id',
      'aud',
      'client_uuid',
      'exp',
      'iat',
      'is_admin',
      'iss',
      'jti',
      'nbf',
      'subdomain',
      'user_id',
    ]);
    expect(record.lifetimeSec).to.deep.equal({ min: 1800, max: 1800 });
    expect(record.adminClaim).to.deep.equal({ present: true, absent: false });
    expect(JSON.stringify(record)).to.not.match(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });
});
