import { expect } from 'chai';
import { exchange, harness, type Harness } from './helpers.ts';

describe('amocrm-emulator: OAuth', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(() => h.emu.stop());

  it('exchanges a code once; a second exchange is refused as revoked (codes are single-use)', async () => {
    const code = h.emu.issueAuthCode(h.account.id);
    const first = await exchange(h.emu, { grant_type: 'authorization_code', code });
    expect(first.status).to.equal(200);
    expect(first.json).to.include({ token_type: 'Bearer', expires_in: 86400 });
    expect(first.json.access_token).to.be.a('string');
    expect(first.json.refresh_token).to.be.a('string');
    expect(first.json.server_time).to.equal(Math.floor(h.clock.ms / 1000));

    const again = await exchange(h.emu, { grant_type: 'authorization_code', code });
    expect(again.status).to.equal(400);
    expect(again.json).to.include({ hint: 'Authorization code has been revoked', title: 'Bad Request', status: 400 });
  });

  it('refuses a code presented with the wrong client secret, and does not burn it', async () => {
    const code = h.emu.issueAuthCode(h.account.id);
    const wrong = await exchange(h.emu, { grant_type: 'authorization_code', code, client_secret: 'nope' });
    expect(wrong.status).to.equal(400);
    expect(wrong.json.hint).to.equal('Authorization code has been revoked');
    expect((await exchange(h.emu, { grant_type: 'authorization_code', code })).status).to.equal(200);
  });

  it('refuses a code older than 20 minutes', async () => {
    const code = h.emu.issueAuthCode(h.account.id);
    h.clock.advance(20 * 60 * 1000);
    expect((await exchange(h.emu, { grant_type: 'authorization_code', code })).status).to.equal(400);
  });

  it('rotates refresh tokens: reusing one is 401 "Token has been revoked", the new one works', async () => {
    const code = h.emu.issueAuthCode(h.account.id);
    const pair = (await exchange(h.emu, { grant_type: 'authorization_code', code })).json;
    const next = await exchange(h.emu, { grant_type: 'refresh_token', refresh_token: pair.refresh_token });
    expect(next.status).to.equal(200);
    expect(next.json.refresh_token).to.not.equal(pair.refresh_token);
    expect(h.emu.refreshCount(h.account.id)).to.equal(1);

    const reused = await exchange(h.emu, { grant_type: 'refresh_token', refresh_token: pair.refresh_token });
    expect(reused.status).to.equal(401);
    expect(reused.json.hint).to.equal('Token has been revoked');
    expect(reused.text.startsWith('{')).to.equal(true);

    const rotated = await exchange(h.emu, { grant_type: 'refresh_token', refresh_token: next.json.refresh_token });
    expect(rotated.status).to.equal(200);
    expect(h.emu.refreshCount(h.account.id)).to.equal(2);
    expect(h.emu.refreshCount()).to.equal(2);
  });

  it('lets only one of two concurrent refreshes with the same token win (refreshes must be serialised)', async () => {
    const { refresh_token } = h.emu.issueTokens(h.account.id);
    const results = await Promise.all([
      exchange(h.emu, { grant_type: 'refresh_token', refresh_token }),
      exchange(h.emu, { grant_type: 'refresh_token', refresh_token }),
    ]);
    expect(results.map((r) => r.status).sort()).to.deep.equal([200, 401]);
  });

  it('maps tokens to their account: two accounts on one port see only their own data', async () => {
    const other = h.emu.addAccount({ subdomain: 'other' });
    const code = h.emu.issueAuthCode(other.id);
    const { access_token } = (await exchange(h.emu, { grant_type: 'authorization_code', code })).json;
    const me = await h.api('GET', '/api/v4/account', undefined, access_token);
    expect(me.json).to.include({ id: other.id, subdomain: 'other' });
    const mine = await h.api('GET', '/api/v4/account');
    expect(mine.json.id).to.equal(h.account.id);
    const rec = h.emu.requests.find((r) => r.path === '/oauth2/access_token');
    expect(rec?.accountId).to.equal(other.id);
  });

  it('revokeTokens makes both the access and the refresh token answer 401 (integration disabled)', async () => {
    const pair = h.emu.issueTokens(h.account.id);
    h.emu.revokeTokens(h.account.id);
    expect((await h.api('GET', '/api/v4/account', undefined, pair.access_token)).status).to.equal(401);
    const r = await exchange(h.emu, { grant_type: 'refresh_token', refresh_token: pair.refresh_token });
    expect(r.status).to.equal(401);
  });
});
