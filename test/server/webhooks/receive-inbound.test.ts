import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import nock from 'nock';
import { arcaChecksum } from '../../../server/providers/arca/checksum.ts';
import { idramChecksum } from '../../../server/providers/idram/checksum.ts';
import { signStandardWebhook } from '../../../server/providers/sandbox/standard-webhooks.ts';
import { createPayment } from '../../../server/payments/create-payment.ts';
import { openAttempt, recordSessionCreated } from '../../../server/payments/open-attempt.ts';
import type { ProviderName } from '../../../server/providers/provider.ts';
import { seedAccount, startTestApp, type TestApp, saveProvider } from '../../support/test-app.ts';
import { describeStores } from '../../support/stores.ts';

const SANDBOX_SECRET = 'whsec_dGVzdC1zZWNyZXQtZm9yLXNhbmRib3g=';

describeStores('provider notifications (/webhooks/:provider/:accountId)', (kind) => {
  let t: TestApp;
  let accountId: number;
  beforeEach(async () => {
    t = await startTestApp({ store: kind });
    accountId = await seedAccount(t, {
      providers: {
        sandbox: { webhookSecret: SANDBOX_SECRET },
        arca: { userName: 'api-user', password: 'api-pass' },
        idram: { recAccount: '110000601', secretKey: 'idram-secret' },
        ameriabank: { clientId: 'c1', username: 'u1', password: 'p1', testOrderIdFrom: 2923001, testOrderIdTo: 2924000 },
      },
    });
  });
  afterEach(async () => {
    nock.cleanAll();
    await t.close();
  });

  async function paymentWithAttempt(provider: ProviderName, amountMinor = 150000, providerPaymentId?: string) {
    const p = await createPayment(t.app.services.ledger, {
      accountId,
      leadId: 77,
      amountMinor,
      currency: 'AMD',
      providers: [provider],
      expiresInHours: 72,
      createdBy: 'user:1',
      publicUrl: t.url,
    });
    const { provider: adapter, ctx } = await t.app.services.providers.context(accountId, provider);
    const a = await openAttempt(t.app.services.ledger, {
      paymentId: p.id,
      provider,
      orderNo: (counter, attemptId) => adapter.orderNo({ counter, attemptId, mode: ctx.mode, credentials: ctx.credentials }),
    });
    if (providerPaymentId) {
      await recordSessionCreated(t.app.services.ledger, {
        attemptId: a.id,
        providerPaymentId,
        redirect: { method: 'GET', url: 'https://x' },
        sessionExpiresAt: t.clock.now() + 1_200_000,
      });
    }
    const { attempts } = t.db.t;
    return { payment: p, attempt: (await t.db.select().from(attempts).where(eq(attempts.id, a.id)))[0] };
  }
  const paymentRow = async (id: string) => {
    const { payments } = t.db.t;
    return (await t.db.select().from(payments).where(eq(payments.id, id)))[0];
  };

  function sandboxNotification(body: object, opts: { id?: string; secret?: string; ts?: number } = {}) {
    const raw = JSON.stringify(body);
    const id = opts.id ?? `msg_${Math.random().toString(36).slice(2)}`;
    const ts = opts.ts ?? Math.floor(t.clock.now() / 1000);
    return fetch(`${t.url}/webhooks/sandbox/${accountId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(ts),
        'webhook-signature': signStandardWebhook(opts.secret ?? SANDBOX_SECRET, id, ts, raw),
      },
      body: raw,
    });
  }
  const succeeded = (a: { providerOrderNo: string }, amountMinor = 150000, currency = 'AMD') => ({
    type: 'payment.succeeded',
    data: { sessionId: 'ses_test', orderNo: a.providerOrderNo, amountMinor, currency },
  });

  it('rejects a notification signed with another secret and changes nothing', async () => {
    const { providerEvents } = t.db.t;
    const { payment, attempt } = await paymentWithAttempt('sandbox');
    const res = await sandboxNotification(succeeded(attempt), { secret: 'whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA==' });
    expect(res.status).to.equal(401);
    expect((await paymentRow(payment.id)).status).to.equal('awaiting');
    expect(await t.db.select().from(providerEvents)).to.have.length(0);
  });

  it('answers 404 for an unknown provider, and an unknown account exactly as an installed one (no enumeration), storing nothing', async () => {
    const { providerEvents } = t.db.t;
    expect((await fetch(`${t.url}/webhooks/paypal/${accountId}`, { method: 'POST', body: '{}' })).status).to.equal(404);
    const answer = async (id: number | string, provider: string, body: string) => {
      const res = await fetch(`${t.url}/webhooks/${provider}/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
    };
    const requests: Array<[string, string]> = [
      ['sandbox', '{}'],
      ['arca', 'mdOrder=0d9f3a1e-0000-4000-8000-000000000001&orderNumber=nope&operation=deposited&status=1'],
      ['idram', 'EDP_PRECHECK=YES&EDP_BILL_NO=nope&EDP_REC_ACCOUNT=110000601&EDP_AMOUNT=1500'],
    ];
    for (const [provider, body] of requests) {
      const installed = await answer(accountId, provider, body);
      expect(await answer(999999, provider, body), `${provider}: unknown account`).to.deep.equal(installed);
      expect(await answer('12', provider, body), `${provider}: an account without the provider`).to.deep.equal(installed);
    }
    expect(await t.db.select().from(providerEvents).where(eq(providerEvents.accountId, 999999))).to.have.length(0);
  });

  it('answers 400 for a malformed body that is correctly signed', async () => {
    const { providerEvents } = t.db.t;
    const { attempt } = await paymentWithAttempt('sandbox');
    const res = await sandboxNotification({ type: 'payment.succeeded', data: { orderNo: attempt.providerOrderNo } });
    expect(res.status).to.equal(400);
    expect(await t.db.select().from(providerEvents)).to.have.length(0);
  });

  it('applies ten concurrent copies of one notification once: one transition, one note', async () => {
    const { auditEntries, providerEvents, syncJobs } = t.db.t;
    const { payment, attempt } = await paymentWithAttempt('sandbox');
    const raw = JSON.stringify(succeeded(attempt));
    const ts = Math.floor(t.clock.now() / 1000);
    const sig = signStandardWebhook(SANDBOX_SECRET, 'msg_same', ts, raw);
    const replies = await Promise.all(
      Array.from({ length: 10 }, () =>
        fetch(`${t.url}/webhooks/sandbox/${accountId}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'webhook-id': 'msg_same',
            'webhook-timestamp': String(ts),
            'webhook-signature': sig,
          },
          body: raw,
        }),
      ),
    );
    expect(replies.map((r) => r.status)).to.deep.equal(Array(10).fill(200));
    expect((await paymentRow(payment.id)).status).to.equal('paid');
    expect(await t.db.select().from(auditEntries).where(eq(auditEntries.action, 'paid'))).to.have.length(1);
    const notes = (await t.db.select().from(syncJobs).where(eq(syncJobs.kind, 'note'))).filter(
      (n) => JSON.parse(n.payload).event.type === 'paid',
    );
    expect(notes).to.have.length(1);
    expect(await t.db.select().from(providerEvents)).to.have.length(1);
  });

  it('treats a replay of the same event with a new id as a duplicate fact: still one transition', async () => {
    const { auditEntries } = t.db.t;
    const { payment, attempt } = await paymentWithAttempt('sandbox');
    await sandboxNotification(succeeded(attempt), { id: 'msg_a' });
    await sandboxNotification(succeeded(attempt), { id: 'msg_b' });
    expect((await paymentRow(payment.id)).status).to.equal('paid');
    expect(await t.db.select().from(auditEntries).where(eq(auditEntries.action, 'paid'))).to.have.length(1);
  });

  it('rejects a replayed notification whose timestamp is outside the window', async () => {
    const { payment, attempt } = await paymentWithAttempt('sandbox');
    const res = await sandboxNotification(succeeded(attempt), { ts: Math.floor(t.clock.now() / 1000) - 3600 });
    expect(res.status).to.equal(401);
    expect((await paymentRow(payment.id)).status).to.equal('awaiting');
  });

  it('puts an amount mismatch into review and never marks it paid', async () => {
    const { syncJobs } = t.db.t;
    const { payment, attempt } = await paymentWithAttempt('sandbox');
    await sandboxNotification(succeeded(attempt, 100));
    const row = await paymentRow(payment.id);
    expect(row.status).to.equal('awaiting');
    expect(row.reviewReason).to.equal('amount_mismatch');
    expect(await t.db.select().from(syncJobs).where(eq(syncJobs.kind, 'task'))).to.have.length(1);
  });

  it('puts a currency mismatch into review and never marks it paid', async () => {
    const { payment, attempt } = await paymentWithAttempt('sandbox');
    await sandboxNotification(succeeded(attempt, 150000, 'USD'));
    const row = await paymentRow(payment.id);
    expect(row.status).to.equal('awaiting');
    expect(row.reviewReason).to.equal('currency_mismatch');
  });

  it('does not let an unsigned ArCa "paid" callback settle anything when the status query says unpaid', async () => {
    const { providerEvents } = t.db.t;
    const { payment, attempt } = await paymentWithAttempt('arca', 150000, 'md-order-1');
    const status = nock('https://ipaytest.arca.am:8445')
      .post('/payment/rest/getOrderStatusExtended.do')
      .reply(200, { errorCode: '0', orderStatus: 0, orderNumber: attempt.providerOrderNo, amount: 150000, currency: '051' });
    const res = await fetch(
      `${t.url}/webhooks/arca/${accountId}?mdOrder=md-order-1&orderNumber=${attempt.providerOrderNo}&operation=deposited&status=1`,
    );
    expect(res.status).to.equal(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(status.isDone()).to.equal(true);
    expect((await paymentRow(payment.id)).status).to.equal('awaiting');
    const inbox = (await t.db.select().from(providerEvents).where(eq(providerEvents.kind, 'notification')))[0];
    expect(inbox.authenticated).to.equal(false);
    expect(inbox.outcome).to.equal('unauthenticated_claim');
  });

  it('marks an unsigned ArCa callback paid only through a matching status query', async () => {
    const { payment, attempt } = await paymentWithAttempt('arca', 150000, 'md-order-2');
    nock('https://ipaytest.arca.am:8445')
      .post('/payment/rest/getOrderStatusExtended.do')
      .reply(200, { errorCode: '0', orderStatus: 2, orderNumber: attempt.providerOrderNo, amount: 150000, currency: '051' });
    await fetch(
      `${t.url}/webhooks/arca/${accountId}?mdOrder=md-order-2&orderNumber=${attempt.providerOrderNo}&operation=deposited&status=1`,
    );
    await new Promise((r) => setTimeout(r, 200));
    expect((await paymentRow(payment.id)).status).to.equal('paid');
  });

  it('verifies a signed ArCa callback with the configured checksum key and rejects a forged one', async () => {
    await saveProvider(t, accountId, {
      provider: 'arca',
      enabled: true,
      mode: 'test',
      credentials: { userName: 'api-user', password: 'api-pass', checksumKey: 'test-callback-token' },
    });
    const { payment, attempt } = await paymentWithAttempt('arca', 150000, 'md-order-3');
    const params = { mdOrder: 'md-order-3', orderNumber: attempt.providerOrderNo, operation: 'deposited', status: '1', amount: '150000' };
    const forged = await fetch(`${t.url}/webhooks/arca/${accountId}?${new URLSearchParams({ ...params, checksum: 'A'.repeat(64) })}`);
    expect(forged.status).to.equal(401);
    expect((await paymentRow(payment.id)).status).to.equal('awaiting');
    const good = await fetch(
      `${t.url}/webhooks/arca/${accountId}?${new URLSearchParams({ ...params, checksum: arcaChecksum(params, 'test-callback-token') })}`,
    );
    expect(good.status).to.equal(200);
    expect((await paymentRow(payment.id)).status).to.equal('paid');
  });

  it("refuses another payer's genuine Ameriabank PaymentID beside our order", async () => {
    const { payment, attempt } = await paymentWithAttempt('ameriabank', 1000, 'OUR-PAYMENT-ID');
    nock('https://servicestest.ameriabank.am').post('/VPOS/api/VPOS/GetPaymentDetails').reply(200, {
      ResponseCode: '00',
      OrderStatus: '2',
      OrderID: '9999999',
      ApprovedAmount: 10,
      Amount: 10,
      Currency: '051',
      RefundedAmount: 0,
      Opaque: '',
    });
    // The return names a stranger's payment id; the status query reports the stranger's order.
    const res = await fetch(
      `${t.url}/pay/${payment.linkToken}/return?attempt=${attempt.id}&orderID=${attempt.providerOrderNo}&paymentID=stranger&resposneCode=00`,
    );
    expect(res.status).to.equal(200);
    expect((await paymentRow(payment.id)).status).to.equal('awaiting');
  });

  it('answers an Idram precheck OK only for an existing payable bill of the same amount, always with HTTP 200', async () => {
    const { attempt } = await paymentWithAttempt('idram', 190000);
    const ask = (amount: string, bill = attempt.providerOrderNo) =>
      fetch(`${t.url}/webhooks/idram/${accountId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ EDP_PRECHECK: 'YES', EDP_BILL_NO: bill, EDP_REC_ACCOUNT: '110000601', EDP_AMOUNT: amount }),
      });
    const ok = await ask('1900');
    expect([ok.status, await ok.text()]).to.deep.equal([200, 'OK']);
    const wrongAmount = await ask('1800');
    expect(wrongAmount.status).to.equal(200);
    expect(await wrongAmount.text()).not.to.equal('OK');
    const unknown = await ask('1900', 'no-such-bill');
    expect(unknown.status).to.equal(200);
    expect(await unknown.text()).not.to.equal('OK');
  });

  it('confirms an Idram payment only with a valid checksum and answers OK after storing it', async () => {
    const { payment, attempt } = await paymentWithAttempt('idram', 190000);
    const fields = {
      EDP_REC_ACCOUNT: '110000601',
      EDP_AMOUNT: '1900.00',
      EDP_BILL_NO: attempt.providerOrderNo,
      EDP_PAYER_ACCOUNT: '220000001',
      EDP_TRANS_ID: '00000000000123',
      EDP_TRANS_DATE: '26/11/2026',
    };
    const post = (checksum: string) =>
      fetch(`${t.url}/webhooks/idram/${accountId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...fields, EDP_CHECKSUM: checksum }),
      });
    const forged = await post('0'.repeat(32));
    expect(forged.status).to.equal(200);
    expect(await forged.text()).not.to.equal('OK');
    expect((await paymentRow(payment.id)).status).to.equal('awaiting');
    const good = await post(idramChecksum(fields, 'idram-secret'));
    expect([good.status, await good.text()]).to.deep.equal([200, 'OK']);
    expect((await paymentRow(payment.id)).status).to.equal('paid');
  });
});

describeStores('provider notifications: a currency we do not recognise', (kind) => {
  it('puts a signed Telcell PAID in another currency into review instead of marking it paid', async () => {
    const { callbackChecksum } = await import('../../../server/providers/telcell/checksum.ts');
    const t = await startTestApp({ store: kind });
    const { payments } = t.db.t;
    try {
      const accountId = await seedAccount(t, { providers: { telcell: { shopId: 'shop@x.am', shopKey: 'telcell-key' } } });
      const p = await createPayment(t.app.services.ledger, {
        accountId,
        leadId: 4,
        amountMinor: 150000,
        currency: 'AMD',
        providers: ['telcell'],
        expiresInHours: 72,
        createdBy: 'user:1',
        publicUrl: t.url,
      });
      const { provider: adapter, ctx } = await t.app.services.providers.context(accountId, 'telcell');
      const a = await openAttempt(t.app.services.ledger, {
        paymentId: p.id,
        provider: 'telcell',
        orderNo: (counter, attemptId) => adapter.orderNo({ counter, attemptId, mode: ctx.mode, credentials: ctx.credentials }),
      });
      const params: Record<string, string> = {
        invoice: '777',
        issuer_id: Buffer.from(a.providerOrderNo).toString('base64'),
        payment_id: '55',
        currency: 'USD',
        sum: '1500',
        time: '2026-11-26 10:00:00',
        status: 'PAID',
      };
      params.checksum = callbackChecksum('invoice', 'telcell-key', params);
      const res = await fetch(`${t.url}/webhooks/telcell/${accountId}?${new URLSearchParams(params)}`);
      expect(res.status).to.equal(200);
      const row = (await t.db.select().from(payments).where(eq(payments.id, p.id)))[0];
      expect(row.status).to.equal('awaiting');
      expect(row.reviewReason).to.equal('currency_mismatch');
    } finally {
      await t.close();
    }
  });
});
