import { expect } from 'chai';
import { exchange, harness, type Harness } from './helpers.ts';

describe('amocrm-emulator: rate limit and blocking', () => {
  let h: Harness;
  afterEach(() => h.emu.stop());

  const burst = async (n: number) => {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) statuses.push((await h.api('GET', '/api/v4/account')).status);
    return statuses;
  };

  it('answers the 8th request within one second with 429, an HTML body and no Retry-After', async () => {
    h = await harness({ rps: 7 });
    expect(await burst(7)).to.deep.equal([200, 200, 200, 200, 200, 200, 200]);
    const r = await h.api('GET', '/api/v4/account');
    expect(r.status).to.equal(429);
    expect(r.headers.get('content-type')).to.match(/text\/html/);
    expect(r.text).to.match(/<html>/);
    expect(r.headers.get('retry-after')).to.equal(null);
  });

  it('admits again once the rolling second has passed', async () => {
    h = await harness({ rps: 7 });
    await burst(7);
    h.clock.advance(999);
    expect((await h.api('GET', '/api/v4/account')).status).to.equal(429);
    h.clock.advance(1);
    expect((await h.api('GET', '/api/v4/account')).status).to.equal(200);
  });

  it('counts the window per account: one noisy account does not limit another', async () => {
    h = await harness({ rps: 2 });
    const other = h.emu.addAccount();
    const otherToken = h.emu.issueTokens(other.id).access_token;
    await burst(3);
    expect((await h.api('GET', '/api/v4/account', undefined, otherToken)).status).to.equal(200);
  });

  it('blocks the account with 403 HTML after repeated 429s, on the API and the token endpoint, until unblocked', async () => {
    h = await harness({ rps: 1, blockAfterViolations: 3 });
    const { refresh_token } = h.emu.issueTokens(h.account.id);
    expect(await burst(4)).to.deep.equal([200, 429, 429, 429]);
    expect(h.emu.isBlocked(h.account.id)).to.equal(true);
    // Even after the window rolls, a blocked account stays blocked.
    h.clock.advance(5000);
    const blocked = await h.api('GET', '/api/v4/account');
    expect(blocked.status).to.equal(403);
    expect(blocked.text).to.match(/403 Forbidden/);
    expect((await exchange(h.emu, { grant_type: 'refresh_token', refresh_token })).status).to.equal(403);

    h.emu.unblockAccount(h.account.id);
    expect((await h.api('GET', '/api/v4/account')).status).to.equal(200);
  });

  it('forgets violations older than a minute (no block for a slow trickle of 429s)', async () => {
    h = await harness({ rps: 1, blockAfterViolations: 3 });
    for (let i = 0; i < 5; i++) {
      expect(await burst(2)).to.deep.equal([200, 429]);
      h.clock.advance(31_000);
    }
    expect(h.emu.isBlocked(h.account.id)).to.equal(false);
  });

  it('blockAccount answers 403 immediately, even to an expired token', async () => {
    h = await harness();
    h.emu.blockAccount(h.account.id);
    h.emu.expireAccessTokens(h.account.id);
    expect((await h.api('GET', '/api/v4/account')).status).to.equal(403);
  });
});
