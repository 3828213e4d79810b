import { expect } from 'chai';
import { DEFAULT_HTML_CSP } from '../../../server/http/middleware/security-headers.ts';
import { createPayment } from '../../../server/payments/create-payment.ts';
import { seedAccount, startTestApp, type TestApp } from '../../support/test-app.ts';

describe('security headers on every answer', () => {
  let t: TestApp;
  let link: string;
  before(async () => {
    t = await startTestApp();
    const accountId = await seedAccount(t);
    link = (
      await createPayment(t.app.services.ledger, {
        accountId,
        leadId: 3,
        amountMinor: 1000,
        currency: 'AMD',
        providers: ['sandbox'],
        expiresInHours: 1,
        createdBy: 'user:1',
        publicUrl: t.url,
      })
    ).linkToken;
  });
  after(() => t.close());

  const get = (path: string, init?: RequestInit) => fetch(`${t.url}${path}`, init).then(async (r) => ({ r, body: await r.text() }));

  it('sends nosniff with JSON, errors, provider replies and pages alike', async () => {
    for (const path of ['/healthz', '/no/such/route', '/api/v1/exceptions', '/webhooks/sandbox/1001', `/pay/${link}`, '/oauth/connected']) {
      const { r } = await get(path);
      expect(r.headers.get('x-content-type-options'), path).to.equal('nosniff');
    }
  });

  it('gives an HTML page without a policy of its own the strict default CSP and no Referer', async () => {
    const { r } = await get('/oauth/connected?account_id=1');
    expect(r.headers.get('content-type')).to.match(/^text\/html/);
    expect(r.headers.get('content-security-policy')).to.equal(DEFAULT_HTML_CSP);
    expect(r.headers.get('referrer-policy')).to.equal('no-referrer');
    expect(DEFAULT_HTML_CSP).to.contain("default-src 'none'").and.contain("frame-ancestors 'none'").and.not.contain('script-src');
  });

  it("keeps the pay page's own CSP (its nonce script) instead of replacing it", async () => {
    const { r, body } = await get(`/pay/${link}`);
    const csp = r.headers.get('content-security-policy')!;
    expect(csp).to.match(/script-src 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).to.contain("default-src 'none'");
    expect(body).to.contain('<html');
  });

  it('puts no CSP on JSON (it is not a page)', async () => {
    const { r } = await get('/healthz');
    expect(r.headers.get('content-security-policy')).to.equal(null);
  });
});
