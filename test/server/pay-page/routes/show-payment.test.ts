import { expect } from 'chai';
import { cancelPayment } from '../../../../server/payments/cancel-payment.ts';
import { seedAccount, startTestApp, type TestApp } from '../../../support/test-app.ts';
import { newPayment } from '../pay-page-fixture.ts';

describe('pay page: GET /pay/:token', () => {
  let t: TestApp;
  let accountId: number;
  beforeEach(async () => {
    t = await startTestApp();
    accountId = await seedAccount(t);
  });
  afterEach(() => t.close());

  it('offers only the providers the account still has enabled, not every one the manager picked', async () => {
    const p = await newPayment(t, accountId, { providers: ['sandbox', 'idram'] });
    const html = await (await fetch(`${t.url}/pay/${p.linkToken}?lang=en`)).text();
    expect(html).to.contain('value="sandbox"');
    expect(html).to.not.contain('value="idram"');
  });

  it('says a cancelled link was cancelled (410) and offers no provider', async () => {
    const p = await newPayment(t, accountId);
    await cancelPayment(t.app.services.ledger, { paymentId: p.id, accountId, actor: 'user:7' });
    const res = await fetch(`${t.url}/pay/${p.linkToken}?lang=en`);
    expect(res.status).to.equal(410);
    const html = await res.text();
    expect(html).to.contain('This payment link was cancelled');
    expect(html).to.not.contain('name="provider"');
  });

  it('keeps the page out of caches, frames and Referer headers, and loads nothing from elsewhere', async () => {
    const p = await newPayment(t, accountId);
    const res = await fetch(`${t.url}/pay/${p.linkToken}`);
    expect(res.headers.get('cache-control')).to.equal('no-store');
    expect(res.headers.get('referrer-policy')).to.equal('no-referrer');
    expect(res.headers.get('content-security-policy')).to.contain("frame-ancestors 'none'").and.contain("default-src 'none'");
  });

  it('answers the language asked for in ?lang= over Accept-Language', async () => {
    const p = await newPayment(t, accountId);
    const res = await fetch(`${t.url}/pay/${p.linkToken}?lang=ru`, { headers: { 'accept-language': 'en' } });
    expect(await res.text()).to.contain('<html lang="ru">');
  });
});
