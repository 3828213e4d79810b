import { expect } from 'chai';
import nock from 'nock';
import { createPayment } from '../../server/payments/create-payment.ts';
import { openAttempt, recordSessionCreated } from '../../server/payments/open-attempt.ts';
import { STATUS_QUERY_INTERVAL_MS } from '../../server/payments/status-ration.ts';
import { startWidgetFixture, type WidgetFixture } from '../server/widget-api/widget-fixture.ts';
import { saveProvider } from '../support/test-app.ts';

/**
 * Finding 5 (Low/Medium), as an attack that must fail: unauthenticated requests triggering bank
 * status queries one for one (returns, unsigned callbacks, the pending page reloading every 5 s),
 * so a stranger can get the merchant throttled by its bank. Whoever asks, the bank hears at most
 * one query per attempt per 15 s; everyone else gets the last answer.
 */
const ARCA_TEST = 'https://ipaytest.arca.am:8445';
const MD_ORDER = '61c3e5a0-8f2b-7a1c-9d4e-0b5f3a2e1c70';

describe('fault: a flood of requests that each ask the bank (finding 5)', function () {
  this.timeout(60_000);
  let f: WidgetFixture;
  let queries = 0;
  before(async () => {
    f = await startWidgetFixture();
    await saveProvider(f.t, f.accountId, {
      provider: 'arca',
      enabled: true,
      mode: 'test',
      credentials: { userName: 'u', password: 'p' },
    });
    nock(ARCA_TEST)
      .persist()
      .post('/payment/rest/getOrderStatusExtended.do')
      .reply(() => {
        queries++;
        return [200, { errorCode: '0', orderStatus: 0, orderNumber: 'drl1', amount: 5000, currency: '051' }];
      });
  });
  after(async () => {
    nock.cleanAll();
    await f.close();
  });

  it('asks the bank once per attempt per 15 s however many returns, unsigned callbacks, reloads, refreshes and reconciler passes ask', async () => {
    const { ledger } = f.t.app.services;
    const p = await createPayment(ledger, {
      accountId: f.accountId,
      leadId: 3,
      amountMinor: 5000,
      currency: 'AMD',
      providers: ['arca'],
      expiresInHours: 24,
      createdBy: 'user:1',
      publicUrl: f.t.url,
    });
    const a = await openAttempt(ledger, { paymentId: p.id, provider: 'arca', orderNo: (c) => `drl${c}` });
    await recordSessionCreated(ledger, {
      attemptId: a.id,
      providerPaymentId: MD_ORDER,
      redirect: { method: 'GET', url: 'https://x' },
      sessionExpiresAt: f.t.clock.now() + 1_200_000,
    });
    const askers: Array<() => Promise<unknown>> = [];
    for (let i = 0; i < 30; i++) {
      askers.push(() => fetch(`${f.t.url}/pay/${p.linkToken}/return?attempt=${a.id}`).then((r) => r.text()));
      askers.push(() => fetch(`${f.t.url}/webhooks/arca/${f.accountId}?orderId=${MD_ORDER}`).then((r) => r.text()));
      askers.push(() =>
        fetch(`${f.t.url}/webhooks/arca/${f.accountId}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `mdOrder=${MD_ORDER}&orderNumber=drl1&operation=${i % 2 ? 'approved' : 'deposited'}&status=${i % 3 ? 1 : 0}`,
        }).then((r) => r.text()),
      );
    }
    for (let i = 0; i < 10; i++) askers.push(() => f.api('POST', `/payments/${p.id}/refresh`));
    askers.push(() => f.t.app.services.reconciler.runOnce());
    await Promise.all(askers.map((ask) => ask()));
    await new Promise((r) => setTimeout(r, 200));
    console.log(`      ${askers.length} requests that each used to ask the bank: ${queries} status quer(ies) within 15 s`);
    expect(queries).to.equal(1);

    f.t.clock.advance(STATUS_QUERY_INTERVAL_MS);
    await Promise.all(
      Array.from({ length: 10 }, () => fetch(`${f.t.url}/pay/${p.linkToken}/return?attempt=${a.id}`).then((r) => r.text())),
    );
    expect(queries, 'one more after 15 s').to.equal(2);
  });
});
