import { expect } from 'chai';
import { sandboxAuthHeader } from '../../../server/providers/sandbox/api-key.ts';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { ManualClock } from '../../../server/platform/clock.ts';
import { createAxiosHttpClient, type HttpClient } from '../../../server/platform/http-client.ts';
import { type ProviderError } from '../../../server/providers/errors.ts';
import type { AttemptRef, CreateSessionInput, InboundRequest, ProviderContext } from '../../../server/providers/provider.ts';
import type { SandboxCredentials } from '../../../server/providers/sandbox/credentials.ts';
import { sandboxProvider } from '../../../server/providers/sandbox/index.ts';
import { readInbound } from '../../../server/webhooks/read-inbound.ts';
import { createSandboxGateway, InMemorySandboxSessionStore, type SandboxGateway } from '../../../scripts/sandbox-gateway/index.ts';
import { NOW, SECRET } from '../../server/providers/sandbox/fixtures.ts';

const ACCOUNT = 31;

describe('sandbox gateway end to end on loopback', () => {
  let server: Server;
  let base: string;
  let clock: ManualClock;
  let store: InMemorySandboxSessionStore;
  let gateway: SandboxGateway;
  let browser: HttpClient;
  let received: InboundRequest[];
  /** Statuses the fake notify receiver answers with, in order; 200 once exhausted. */
  let receiverAnswers: number[];

  beforeEach(async () => {
    clock = new ManualClock(NOW);
    store = new InMemorySandboxSessionStore();
    received = [];
    receiverAnswers = [];
    browser = createAxiosHttpClient({ defaultTimeoutMs: 3000 });
    gateway = createSandboxGateway({
      store,
      http: createAxiosHttpClient({ defaultTimeoutMs: 3000 }),
      clock,
      secretFor: (accountId) => (accountId === String(ACCOUNT) ? SECRET : undefined),
      retryDelaysMs: [10, 10],
      deliveryTimeoutMs: 2000,
    });
    const app = express();
    // The fake merchant: keeps exactly what arrived, as the real webhook route does.
    app.post('/webhooks/sandbox/:accountId', express.raw({ type: () => true }), (req, res) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      received.push({
        method: 'POST',
        query: {},
        headers,
        rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        receivedAt: clock.now(),
      });
      res.status(receiverAnswers.shift() ?? 200).send('');
    });
    app.use('/sandbox', gateway);
    server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    gateway.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const ctx = (overrides: Partial<ProviderContext<SandboxCredentials>> = {}): ProviderContext<SandboxCredentials> => ({
    accountId: ACCOUNT,
    mode: 'test',
    credentials: { webhookSecret: SECRET },
    http: createAxiosHttpClient({ defaultTimeoutMs: 3000 }),
    clock,
    publicUrl: base,
    ...overrides,
  });

  function input(description = 'Deposit for lead 77'): CreateSessionInput {
    return {
      attempt: { attemptId: 'att_1', providerOrderNo: 'sbx-1', amountMinor: 250000, currency: 'AMD' },
      description,
      language: 'en',
      returnUrl: `${base}/pay/tok123/return`,
      failUrl: `${base}/pay/tok123/return`,
      notifyUrl: `${base}/webhooks/sandbox/${ACCOUNT}`,
      ttlSec: 1200,
    };
  }

  async function open(description?: string): Promise<{ sessionId: string; checkoutUrl: string; attempt: AttemptRef }> {
    const created = await sandboxProvider.createSession(ctx(), input(description));
    expect(created.redirect.method).to.equal('GET');
    const sessionId = created.providerPaymentId!;
    return { sessionId, checkoutUrl: created.redirect.url, attempt: { ...input().attempt, providerPaymentId: sessionId } };
  }

  it('Pay sends one signed notification that parseInbound verifies, then 303s the browser to returnUrl?session=', async () => {
    const { sessionId, checkoutUrl, attempt } = await open();
    expect(checkoutUrl).to.equal(`${base}/sandbox/checkout/${sessionId}`);
    expect(sessionId).to.match(/^ses_[A-Za-z0-9_-]{20,}$/);

    const page = await browser.request({ method: 'GET', url: checkoutUrl });
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('2\u00a0500\u00a0AMD').and.contain('>Pay 2\u00a0500\u00a0AMD<').and.contain('>Decline<');

    const paid = await browser.request({ method: 'POST', url: `${checkoutUrl}/pay` });
    expect(paid.status).to.equal(303);
    expect(paid.headers.location).to.equal(`${base}/pay/tok123/return?session=${sessionId}`);

    await gateway.idle();
    expect(received).to.have.length(1);
    expect(received[0].headers['webhook-id']).to.match(/^msg_/);
    expect(received[0].headers['webhook-timestamp']).to.equal(String(NOW / 1000));
    const parsed = readInbound(sandboxProvider, ctx(), received[0]);
    expect(parsed.authenticated).to.equal(true);
    expect(parsed.dedupeKey).to.equal(`sandbox:${received[0].headers['webhook-id']}`);
    expect(parsed.fact).to.include({
      status: 'paid',
      amountMinor: 250000,
      currency: 'AMD',
      providerPaymentId: sessionId,
      providerOrderNo: 'sbx-1',
    });

    const fact = await sandboxProvider.queryStatus(ctx(), attempt);
    expect(fact).to.include({ status: 'paid', amountMinor: 250000, refundedTotalMinor: 0, providerOrderNo: 'sbx-1' });

    // A second click or a reload: back to the shop, no second notification, and the page says paid.
    const again = await browser.request({ method: 'POST', url: `${checkoutUrl}/pay` });
    expect(again.status).to.equal(303);
    await gateway.idle();
    expect(received).to.have.length(1);
    const after = await browser.request({ method: 'GET', url: checkoutUrl });
    expect(after.text).to.contain('Already paid').and.not.contain('>Decline<');
  });

  it('Decline sends payment.failed and the status API says failed', async () => {
    const { checkoutUrl, attempt } = await open();
    const res = await browser.request({ method: 'POST', url: `${checkoutUrl}/decline` });
    expect(res.status).to.equal(303);
    await gateway.idle();
    expect(received).to.have.length(1);
    expect(readInbound(sandboxProvider, ctx(), received[0]).fact?.status).to.equal('failed');
    expect((await sandboxProvider.queryStatus(ctx(), attempt)).status).to.equal('failed');
  });

  it('refunds partially, idempotently on refundId, refuses over-refunds, and notifies the cumulative total', async () => {
    const { checkoutUrl, attempt } = await open();
    await browser.request({ method: 'POST', url: `${checkoutUrl}/pay` });
    await gateway.idle();

    expect(await sandboxProvider.refund(ctx(), attempt, 100000, { refundId: 'rf_1' })).to.deep.equal({
      state: 'succeeded',
      providerRefundId: 'rf_1',
    });
    expect(await sandboxProvider.refund(ctx(), attempt, 100000, { refundId: 'rf_1' })).to.deep.equal({
      state: 'succeeded',
      providerRefundId: 'rf_1',
    });
    expect(await sandboxProvider.refund(ctx(), attempt, 50000, { refundId: 'rf_2' })).to.deep.equal({
      state: 'succeeded',
      providerRefundId: 'rf_2',
    });
    const over = await sandboxProvider.refund(ctx(), attempt, 100001, { refundId: 'rf_3' });
    expect(over.state).to.equal('failed');
    expect(over.providerSaid).to.contain('sandbox_refund_exceeds');
    const reused = await sandboxProvider.refund(ctx(), attempt, 1, { refundId: 'rf_2' });
    expect(reused.providerSaid).to.contain('sandbox_refund_id_reused');

    await gateway.idle();
    const refunds = received.slice(1).map((r) => readInbound(sandboxProvider, ctx(), r).fact);
    expect(refunds.map((f) => [f?.status, f?.refundedTotalMinor])).to.have.deep.members([
      ['paid', 100000],
      ['paid', 150000],
    ]);
    expect((await sandboxProvider.queryStatus(ctx(), attempt)).refundedTotalMinor).to.equal(150000);
  });

  it('redelivers a failed notification under the same webhook-id (one dedupe key), each delivery verifiable, then stops', async () => {
    receiverAnswers = [500, 503];
    const { checkoutUrl } = await open();
    await browser.request({ method: 'POST', url: `${checkoutUrl}/pay` });
    await gateway.idle();
    expect(received).to.have.length(3);
    const keys = received.map((r) => readInbound(sandboxProvider, ctx(), r).dedupeKey);
    expect(new Set(keys).size).to.equal(1);
  });

  it('gives up after the configured retries when the receiver keeps failing (bounded)', async () => {
    receiverAnswers = [500, 500, 500, 500, 500];
    const { checkoutUrl } = await open();
    const res = await browser.request({ method: 'POST', url: `${checkoutUrl}/pay` });
    // The customer is not held hostage by a broken receiver.
    expect(res.status).to.equal(303);
    await gateway.idle();
    expect(received).to.have.length(3);
  });

  it('refuses to pay an expired session, and reports it expired', async () => {
    const { checkoutUrl, attempt } = await open();
    clock.advance(1201 * 1000);
    const res = await browser.request({ method: 'POST', url: `${checkoutUrl}/pay` });
    expect(res.status).to.equal(409);
    expect(res.text).to.contain('expired');
    await gateway.idle();
    expect(received).to.have.length(0);
    expect((await sandboxProvider.queryStatus(ctx(), attempt)).status).to.equal('expired');
  });

  it('cancels a pending session so it can no longer be paid, and refuses to cancel a paid one', async () => {
    const first = await open();
    expect(await sandboxProvider.cancel(ctx(), first.attempt)).to.deep.equal({ state: 'succeeded' });
    expect((await browser.request({ method: 'POST', url: `${first.checkoutUrl}/pay` })).status).to.equal(409);
    expect((await sandboxProvider.queryStatus(ctx(), first.attempt)).status).to.equal('cancelled');

    const second = await open();
    await browser.request({ method: 'POST', url: `${second.checkoutUrl}/pay` });
    const refused = await sandboxProvider.cancel(ctx(), second.attempt);
    expect(refused.state).to.equal('failed');
    expect(refused.providerSaid).to.contain('sandbox_already_paid');
  });

  it('refuses API calls signed with another account secret (no session, no status)', async () => {
    const stranger = ctx({ credentials: { webhookSecret: 'someone-elses-secret' } });
    const err = await sandboxProvider.createSession(stranger, input()).catch((e: unknown) => e);
    expect((err as ProviderError).code).to.equal('sandbox_unauthorized');
    const { attempt } = await open();
    const statusErr = await sandboxProvider.queryStatus(stranger, attempt).catch((e: unknown) => e);
    expect((statusErr as ProviderError).code).to.equal('sandbox_unauthorized');
  });

  it('refuses a notifyUrl that is not /webhooks/sandbox/:accountId (it names the account and its secret)', async () => {
    const res = await browser.request({
      method: 'POST',
      url: `${base}/sandbox/api/sessions`,
      body: { orderNo: 'x', amountMinor: 100, currency: 'AMD', returnUrl: `${base}/r`, notifyUrl: 'http://127.0.0.1:9/elsewhere' },
    });
    expect(res.status).to.equal(400);
    expect(JSON.parse(res.text).error.code).to.equal('sandbox_bad_notify_url');
  });

  it('posts and redirects only to its own server: a notifyUrl or returnUrl elsewhere is refused (no open relay, no open redirect)', async () => {
    const key = sandboxAuthHeader(SECRET, ACCOUNT);
    for (const [notifyUrl, returnUrl] of [
      [`http://169.254.169.254/webhooks/sandbox/${ACCOUNT}`, `${base}/r`],
      [`${base}/webhooks/sandbox/${ACCOUNT}`, 'https://phishing.example/pay'],
    ]) {
      const res = await browser.request({
        method: 'POST',
        url: `${base}/sandbox/api/sessions`,
        headers: key,
        body: { orderNo: 'x', amountMinor: 100, currency: 'AMD', returnUrl, notifyUrl },
      });
      expect(res.status, notifyUrl).to.equal(400);
      expect(JSON.parse(res.text).error.code).to.equal('sandbox_foreign_url');
    }
    expect(received).to.have.length(0);
  });

  it('answers malformed JSON with the error envelope, not an HTML stack', async () => {
    const res = await browser.request({
      method: 'POST',
      url: `${base}/sandbox/api/sessions`,
      headers: { 'content-type': 'application/json' },
      body: '{"orderNo":',
    });
    expect(res.status).to.equal(400);
    expect(JSON.parse(res.text).error.code).to.equal('sandbox_bad_json');
  });

  it('serves a self-contained checkout page that escapes the description', async () => {
    const { checkoutUrl } = await open('<script>alert("x")</script> & co');
    const page = await browser.request({ method: 'GET', url: checkoutUrl });
    expect(page.headers['content-type']).to.match(/^text\/html/);
    expect(page.headers['content-security-policy']).to.contain("default-src 'none'");
    expect(page.text).to.contain('&#60;script&#62;').and.not.contain('<script');
    expect(page.text).to.contain('name="viewport"');
    expect(page.text).to.not.match(/\b(src|href)=["']?https?:/);
  });

  it('shows a 404 page for an unknown checkout', async () => {
    const res = await browser.request({ method: 'GET', url: `${base}/sandbox/checkout/ses_nope` });
    expect(res.status).to.equal(404);
  });
});
