import { expect } from 'chai';
import { accountBaseUrl, parseReferer } from '../../../server/amocrm/base-url.ts';
import { disconnectSignature } from '../../../server/amocrm/disconnect.ts';
import { backoffMs, classify, parseRetryAfter, RETRY_POLICY } from '../../../server/amocrm/retry-policy.ts';

describe('amoCRM retry table, back-off and hosts', () => {
  const action = (status: number) => classify({ kind: 'status', status })?.action;

  it('retries network errors, 5xx and 429; never 400, 402, 404; refreshes on 401; blocks on 403', () => {
    expect(classify({ kind: 'network', timedOut: true })!.action).to.equal('retry');
    expect(classify({ kind: 'network', timedOut: false, errno: 'ECONNREFUSED' })!.action).to.equal('retry');
    expect(classify({ kind: 'network', timedOut: false, errno: 'ECONNRESET' })!.action).to.equal('retry');
    for (const s of [500, 502, 503, 504, 429]) expect(action(s), String(s)).to.equal('retry');
    for (const s of [400, 402, 404, 405, 422]) expect(action(s), String(s)).to.equal('never');
    expect(action(401)).to.equal('refresh_once');
    expect(action(403)).to.equal('block');
    for (const s of [200, 204, 301]) expect(action(s)).to.equal(undefined);
  });

  it('marks what may have been applied (timeouts, resets, 5xx) as ambiguous, and a refused connection or 429 as not', () => {
    expect(classify({ kind: 'network', timedOut: true })!.ambiguous).to.equal(true);
    expect(classify({ kind: 'network', timedOut: false, errno: 'ECONNRESET' })!.ambiguous).to.equal(true);
    expect(classify({ kind: 'network', timedOut: false, errno: 'ECONNREFUSED' })!.ambiguous).to.equal(false);
    expect(classify({ kind: 'status', status: 503 })!.ambiguous).to.equal(true);
    expect(classify({ kind: 'status', status: 429 })!.ambiguous).to.equal(false);
    expect(RETRY_POLICY.filter((r) => r.pausesAccount).map((r) => r.code)).to.deep.equal(['amocrm_rate_limited']);
  });

  it('backs off exponentially from at least 1 s with jitter, and never sooner than Retry-After', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, { random: () => 0 }))).to.deep.equal([1000, 2000, 4000, 8000]);
    expect(backoffMs(1, { random: () => 0.999 })).to.be.within(1000, 2000);
    expect(backoffMs(10, { random: () => 0.5 })).to.equal(30_000);
    expect(backoffMs(1, { random: () => 0, retryAfterMs: 120_000 })).to.equal(120_000);
    expect(backoffMs(1, { random: () => 0, retryAfterMs: 100 })).to.equal(1000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.UTC(2026, 0, 15, 10, 0, 0);
    expect(parseRetryAfter('7', now)).to.equal(7000);
    expect(parseRetryAfter(new Date(now + 3000).toUTCString(), now)).to.equal(3000);
    expect(parseRetryAfter(undefined, now)).to.equal(undefined);
    expect(parseRetryAfter('soon', now)).to.equal(undefined);
  });

  it('accepts only amoCRM and Kommo account hosts as the install referer', () => {
    expect(parseReferer('shop.amocrm.ru')).to.deep.equal({ subdomain: 'shop', baseDomain: 'amocrm.ru' });
    expect(parseReferer('https://my-shop.kommo.com/')).to.deep.equal({ subdomain: 'my-shop', baseDomain: 'kommo.com' });
    expect(parseReferer('Shop.AmoCRM.com')).to.deep.equal({ subdomain: 'shop', baseDomain: 'amocrm.com' });
    for (const bad of [
      'evil.com',
      'shop.amocrm.ru.evil.com',
      'shop.amocrm.ru/path',
      'shop.amocrm.ru:8080',
      'a.b.amocrm.ru',
      'user@shop.amocrm.ru',
      'amocrm.ru',
      'http://shop.amocrm.ru',
      '',
      undefined,
    ]) {
      expect(parseReferer(bad), String(bad)).to.equal(undefined);
    }
  });

  it('uses AMOCRM_BASE_URL instead of the account host when set', () => {
    expect(accountBaseUrl({}, { subdomain: 'shop', baseDomain: 'kommo.com' })).to.equal('https://shop.kommo.com');
    expect(accountBaseUrl({ baseUrl: 'http://127.0.0.1:4010/' }, { subdomain: 'shop', baseDomain: 'kommo.com' })).to.equal(
      'http://127.0.0.1:4010',
    );
  });

  it('signs the revoke hook as lowercase hex HMAC-SHA256(client_secret, client_uuid|account_id)', () => {
    // A fixed vector: hash_hmac('sha256', 'client-uuid|123', 'secret') in amoCRM's PHP sample gives the same.
    expect(disconnectSignature('secret', 'client-uuid', '123')).to.equal(
      'ef2bb65fcd9eb8ab388e4ce7f5b3196cbb2e99ba69c5e5086124370030287e51',
    );
  });
});
