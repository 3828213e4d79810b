import { expect } from 'chai';
import nock from 'nock';
import { createPayment } from '../../../server/payments/create-payment.ts';
import { openAttempt, recordSessionCreated } from '../../../server/payments/open-attempt.ts';
import { claimStatusQuery, STATUS_QUERY_INTERVAL_MS } from '../../../server/payments/status-ration.ts';
import { verifyAttempt } from '../../../server/payments/verify-attempt.ts';
import { seedAccount, startTestApp, type TestApp } from '../../support/test-app.ts';
import { describeStores, openSharedStores } from '../../support/stores.ts';

const ARCA = 'https://ipaytest.arca.am:8445';
const STATUS = '/payment/rest/getOrderStatusExtended.do';

describeStores('status queries are rationed: one per attempt per 15 s, whoever asks', (kind) => {
  let t: TestApp;
  let attemptId: string;
  beforeEach(async () => {
    t = await startTestApp({ store: kind });
    const accountId = await seedAccount(t, { providers: { arca: { userName: 'u', password: 'p' } } });
    const p = await createPayment(t.app.services.ledger, {
      accountId,
      leadId: 5,
      amountMinor: 5000,
      currency: 'AMD',
      providers: ['arca'],
      expiresInHours: 72,
      createdBy: 'user:1',
      publicUrl: t.url,
    });
    attemptId = (await openAttempt(t.app.services.ledger, { paymentId: p.id, provider: 'arca', orderNo: (c) => `drl${c}` })).id;
    await recordSessionCreated(t.app.services.ledger, {
      attemptId,
      providerPaymentId: 'md-1',
      redirect: { method: 'GET', url: 'https://x' },
      sessionExpiresAt: t.clock.now() + 1_200_000,
    });
  });
  afterEach(async () => {
    nock.cleanAll();
    await t.close();
  });

  it('asks the provider once for ten askers in the window, answers the rest from the ledger, and again after 15 s', async () => {
    let asked = 0;
    nock(ARCA)
      .post(STATUS)
      .times(10)
      .reply(() => {
        asked++;
        return [200, { errorCode: '0', orderStatus: 0, orderNumber: 'drl1', amount: 5000, currency: '051' }];
      });
    const actors = ['customer_return', 'reconciler:notification', 'reconciler', 'user:1', 'reconciler:expiry'];
    const results = await Promise.all([...actors, ...actors].map((actor) => verifyAttempt(t.app.services.payments, attemptId, actor)));
    expect(asked).to.equal(1);
    expect(results.filter((r) => r.kind === 'applied')).to.have.length(1);
    expect(results.filter((r) => r.kind === 'rationed')).to.have.length(9);
    t.clock.advance(STATUS_QUERY_INTERVAL_MS - 1);
    expect((await verifyAttempt(t.app.services.payments, attemptId, 'user:1')).kind).to.equal('rationed');
    t.clock.advance(1);
    expect((await verifyAttempt(t.app.services.payments, attemptId, 'user:1')).kind).to.equal('applied');
    expect(asked).to.equal(2);
  });

  it('gives the failed answer of the last query to whoever asks within the window, without asking again', async () => {
    let asked = 0;
    nock(ARCA)
      .post(STATUS)
      .times(5)
      .reply(() => {
        asked++;
        return [502, 'bad gateway'];
      });
    const first = await verifyAttempt(t.app.services.payments, attemptId, 'user:1');
    const second = await verifyAttempt(t.app.services.payments, attemptId, 'customer_return');
    expect(first).to.deep.include({ kind: 'error', code: 'arca_bad_response' });
    expect(second).to.deep.equal(first);
    expect(asked).to.equal(1);
  });

  it('is shared through the database: two processes on one database get one claim between them', async () => {
    const shared = await openSharedStores(kind, 2);
    try {
      const [a, b] = shared.stores;
      const now = Date.UTC(2026, 0, 1);
      expect(await claimStatusQuery(a, 'att_1', now)).to.deep.equal({ claimed: true });
      expect(await claimStatusQuery(b, 'att_1', now + 1000)).to.deep.equal({ claimed: false, queriedAt: now });
      expect(await claimStatusQuery(b, 'att_2', now + 1000), 'another attempt has its own slot').to.deep.equal({ claimed: true });
      expect(await claimStatusQuery(b, 'att_1', now + STATUS_QUERY_INTERVAL_MS)).to.deep.equal({ claimed: true });
      // Twenty claims at once for a fresh attempt: exactly one wins.
      const many = await Promise.all(Array.from({ length: 20 }, (_, i) => claimStatusQuery(shared.stores[i % 2], 'att_3', now + 1)));
      expect(many.filter((r) => r.claimed)).to.have.length(1);
    } finally {
      await shared.close();
    }
  });
});
