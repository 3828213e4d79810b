import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { call, CLIENT, harness, type Harness } from './helpers.ts';

/**
 * What amoCRM does not document, or what only a real account shows, made reproducible: reused
 * disposable tokens, tokens without is_admin, per-IP limits and blocks across accounts (Kommo), the
 * IP whitelist's 403, and the rights 403 of the user endpoints.
 */
describe('amocrm-emulator: behaviours of real accounts the docs leave open', () => {
  let h: Harness;
  afterEach(() => h.emu.stop());
  // The fake clock is in 2026: check the signature, not the time.
  const claims = (token: string) =>
    jwt.verify(token, CLIENT.clientSecret, { ignoreExpiration: true, ignoreNotBefore: true } as jwt.VerifyOptions) as Record<
      string,
      unknown
    >;

  describe('$authorizedAjax tokens', () => {
    it('mints a new token per call by default, with is_admin', async () => {
      h = await harness();
      const a = h.emu.authorizedAjaxToken(h.account.id);
      const b = h.emu.authorizedAjaxToken(h.account.id);
      expect(claims(a).jti).to.not.equal(claims(b).jti);
      expect(claims(a).is_admin).to.equal(true);
    });

    it('with reuse, hands a user the same token until a minute before it expires, then a new one', async () => {
      h = await harness({ disposableTokens: { reuse: true } });
      const first = h.emu.authorizedAjaxToken(h.account.id);
      h.clock.advance(28 * 60_000);
      expect(h.emu.authorizedAjaxToken(h.account.id)).to.equal(first);
      const manager = h.account.users.find((u) => !u.is_admin)!.id;
      expect(h.emu.authorizedAjaxToken(h.account.id, { userId: manager })).to.not.equal(first);
      h.clock.advance(60_000);
      expect(h.emu.authorizedAjaxToken(h.account.id)).to.not.equal(first);
    });

    it('without the is_admin claim when told, also through the debug route the playground uses', async () => {
      h = await harness();
      h.emu.setDisposableTokens({ isAdminClaim: false });
      expect(claims(h.emu.authorizedAjaxToken(h.account.id))).to.not.have.property('is_admin');
      const r = await call(`${h.emu.url}/__emulator/accounts/${h.account.id}/disposable-token`, 'POST', {});
      expect(claims(r.json.token)).to.not.have.property('is_admin');
      h.emu.setDisposableTokens({ isAdminClaim: true, reuse: true });
      const again = await call(`${h.emu.url}/__emulator/accounts/${h.account.id}/disposable-token`, 'POST', {});
      const once = await call(`${h.emu.url}/__emulator/accounts/${h.account.id}/disposable-token`, 'POST', {});
      expect(once.json.token).to.equal(again.json.token);
    });
  });

  describe('limits and blocks per IP address (Kommo)', () => {
    it('counts every account in one budget: two accounts at 4 requests each exceed 7 together', async () => {
      h = await harness({ rps: 7, rateScope: 'ip' });
      const other = h.emu.addAccount();
      const otherToken = h.emu.issueTokens(other.id).access_token;
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        statuses.push((await h.api('GET', '/api/v4/account')).status);
        statuses.push((await h.api('GET', '/api/v4/account', undefined, otherToken)).status);
      }
      expect(statuses.filter((s) => s === 429)).to.have.length(1);
    });

    it('a block after repeated 429s answers 403 to every account on the address', async () => {
      h = await harness({ rps: 1, blockAfterViolations: 2, rateScope: 'ip' });
      const other = h.emu.addAccount();
      const otherToken = h.emu.issueTokens(other.id).access_token;
      await h.api('GET', '/api/v4/account');
      expect((await h.api('GET', '/api/v4/account', undefined, otherToken)).status).to.equal(429);
      expect((await h.api('GET', '/api/v4/account', undefined, otherToken)).status).to.equal(429);
      const blocked = await h.api('GET', '/api/v4/account');
      expect(blocked.status).to.equal(403);
      expect(blocked.text).to.match(/<html>/);
      expect(h.emu.isBlocked(other.id)).to.equal(true);
    });
  });

  it('an account whose API settings refuse this IP answers 403 JSON with error code 113, until the address is allowed', async () => {
    h = await harness();
    h.emu.refuseIp(h.account.id);
    const r = await h.api('GET', '/api/v4/leads');
    expect(r.status).to.equal(403);
    expect(r.json).to.include({ error_code: 113, status: 403 });
    h.emu.allowIp(h.account.id);
    expect((await h.api('GET', '/api/v4/account')).status).to.equal(200);
  });

  it("lets only an admin's token read users: another user's token gets a JSON 403 (rights), not the block page", async () => {
    h = await harness();
    const manager = h.account.users.find((u) => !u.is_admin)!;
    const admin = h.account.users.find((u) => u.is_admin)!;
    const managerToken = h.emu.issueTokens(h.account.id, { userId: manager.id }).access_token;
    for (const path of ['/api/v4/users', `/api/v4/users/${admin.id}`]) {
      const refused = await h.api('GET', path, undefined, managerToken);
      expect(refused.status, path).to.equal(403);
      expect(refused.json, path).to.include({ title: 'Forbidden', status: 403 });
    }
    const one = await h.api('GET', `/api/v4/users/${manager.id}`);
    expect(one.status).to.equal(200);
    expect(one.json.rights.is_admin).to.equal(false);
    expect((await h.api('GET', '/api/v4/users/1')).status).to.equal(404);
  });
});
