import { expect } from 'chai';
import { exchange, harness, type Harness } from './helpers.ts';

describe('amocrm-emulator: API authentication', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness({ accessTokenTtlSec: 3600 });
  });
  afterEach(() => h.emu.stop());

  it('answers 401 without a bearer token', async () => {
    const r = await h.api('GET', '/api/v4/account', undefined, null);
    expect(r.status).to.equal(401);
    expect(r.json).to.include({ title: 'Unauthorized', status: 401 });
  });

  it('answers 401 with an unknown token', async () => {
    expect((await h.api('GET', '/api/v4/leads/1', undefined, 'garbage')).status).to.equal(401);
  });

  it('answers 401 once the access token has expired by the clock', async () => {
    expect((await h.api('GET', '/api/v4/account')).status).to.equal(200);
    h.clock.advance(3600 * 1000);
    const r = await h.api('GET', '/api/v4/account');
    expect(r.status).to.equal(401);
    // The log still names the account, so a test can tell whose token died.
    expect(h.emu.requests.at(-1)).to.include({ status: 401, accountId: h.account.id });
  });

  it('expireAccessTokens kills current tokens, and a refresh brings the account back', async () => {
    const pair = h.emu.issueTokens(h.account.id);
    h.emu.expireAccessTokens(h.account.id);
    expect((await h.api('GET', '/api/v4/account', undefined, pair.access_token)).status).to.equal(401);
    const fresh = await exchange(h.emu, { grant_type: 'refresh_token', refresh_token: pair.refresh_token });
    expect((await h.api('GET', '/api/v4/account', undefined, fresh.json.access_token)).status).to.equal(200);
  });

  it('serves the account with users_groups and task_types when asked', async () => {
    const r = await h.api('GET', '/api/v4/account?with=users_groups,task_types');
    expect(r.status).to.equal(200);
    expect(r.json).to.include({ id: h.account.id, subdomain: 'shop', country: 'AM', currency: 'AMD' });
    expect(r.json._embedded.task_types.map((t: { id: number }) => t.id)).to.include.members([1, 2]);
    expect(r.json._embedded.users_groups).to.be.an('array');
  });
});
