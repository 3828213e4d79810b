import { expect } from 'chai';
import { cancelPayment } from '../../../../server/payments/cancel-payment.ts';
import { seedAccount, startTestApp, type TestApp } from '../../../support/test-app.ts';
import { choose, newPayment, payThroughSandbox, sandboxSettled } from '../pay-page-fixture.ts';

describe('pay page: GET /pay/:token/return', () => {
  let t: TestApp;
  let accountId: number;
  beforeEach(async () => {
    t = await startTestApp();
    accountId = await seedAccount(t);
  });
  afterEach(() => t.close());

  const returnPage = (token: string) => fetch(`${t.url}/pay/${token}/return?lang=en`);

  it('says "processing" and refreshes itself while the provider has not decided, never "paid" on the redirect alone', async () => {
    const p = await newPayment(t, accountId);
    expect((await choose(t, p.linkToken, 'sandbox')).status).to.equal(303);
    const res = await returnPage(p.linkToken);
    expect(res.status).to.equal(200);
    const html = await res.text();
    expect(html).to.contain('Payment is being processed');
    expect(html).to.contain('<meta http-equiv="refresh" content="5">');
    expect(html).to.not.contain('Payment received');
  });

  it('offers to try again on the same link after a declined attempt', async () => {
    const p = await newPayment(t, accountId);
    await payThroughSandbox(t, p.linkToken, 'decline');
    const html = await (await returnPage(p.linkToken)).text();
    expect(html).to.contain('The payment did not go through');
    expect(html).to.contain(`href="/pay/${p.linkToken}?lang=en"`);
  });

  it('says "under review", not "received", when money arrives after the manager cancelled the link', async () => {
    const p = await newPayment(t, accountId);
    const chosen = await choose(t, p.linkToken, 'sandbox');
    await cancelPayment(t.app.services.ledger, { paymentId: p.id, accountId, actor: 'user:7' });
    await fetch(`${chosen.headers.get('location')!}/pay`, { method: 'POST', redirect: 'manual' });
    await sandboxSettled(t);
    const html = await (await returnPage(p.linkToken)).text();
    expect(html).to.contain('Payment under review');
  });

  it('answers an unknown token with the 404 page', async () => {
    const res = await returnPage('AAAAAAAAAAAAAAAAAAAAAAAA');
    expect(res.status).to.equal(404);
    expect(await res.text()).to.contain('Payment link not found');
  });
});
