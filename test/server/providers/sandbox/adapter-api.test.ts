import { expect } from 'chai';
import nock from 'nock';
import { type ProviderError, ProviderTimeoutError } from '../../../../server/providers/errors.ts';
import type { AttemptRef, CreateSessionInput } from '../../../../server/providers/provider.ts';
import { sandboxApiKey, sandboxProvider } from '../../../../server/providers/sandbox/index.ts';
import { NOW, SECRET, sandboxCtx } from './fixtures.ts';

const BASE = 'https://pay.example.test';
const AUTH = `Bearer ${sandboxApiKey(SECRET, 31)}`;
const attempt: AttemptRef = {
  attemptId: 'att_1',
  providerOrderNo: 'sbx-4',
  providerPaymentId: 'ses_abc',
  amountMinor: 250000,
  currency: 'AMD',
};

const createInput: CreateSessionInput = {
  attempt: { ...attempt, providerPaymentId: null },
  description: 'Deposit',
  language: 'en',
  returnUrl: `${BASE}/pay/tok/return`,
  failUrl: `${BASE}/pay/tok/return`,
  notifyUrl: `${BASE}/webhooks/sandbox/31`,
  ttlSec: 1200,
};

describe('sandbox adapter over HTTP', () => {
  afterEach(() => nock.cleanAll());

  it('creates the session at {publicUrl}/sandbox/api/sessions with our API key and redirects to its checkoutUrl', async () => {
    let sent: unknown;
    const scope = nock(BASE, { reqheaders: { authorization: AUTH } })
      .post('/sandbox/api/sessions', (body) => {
        sent = body;
        return true;
      })
      .reply(201, { sessionId: 'ses_abc', checkoutUrl: `${BASE}/sandbox/checkout/ses_abc`, expiresAt: NOW + 1_200_000 });
    const result = await sandboxProvider.createSession(sandboxCtx(), createInput);
    scope.done();
    expect(sent).to.deep.equal({
      orderNo: 'sbx-4',
      amountMinor: 250000,
      currency: 'AMD',
      description: 'Deposit',
      returnUrl: createInput.returnUrl,
      notifyUrl: createInput.notifyUrl,
      ttlSec: 1200,
    });
    expect(result).to.deep.equal({
      providerPaymentId: 'ses_abc',
      redirect: { method: 'GET', url: `${BASE}/sandbox/checkout/ses_abc` },
      sessionExpiresAt: NOW + 1_200_000,
    });
  });

  it('prefers ctx.baseUrl over publicUrl', async () => {
    const scope = nock('http://127.0.0.1:4013')
      .post('/sandbox/api/sessions')
      .reply(201, { sessionId: 's', checkoutUrl: 'http://127.0.0.1:4013/sandbox/checkout/s', expiresAt: NOW });
    await sandboxProvider.createSession(sandboxCtx({ baseUrl: 'http://127.0.0.1:4013' }), createInput);
    scope.done();
  });

  it('says the secret changed when the gateway refuses our API key', async () => {
    nock(BASE)
      .post('/sandbox/api/sessions')
      .reply(401, { error: { code: 'sandbox_unauthorized', message: 'no' } });
    const err = await sandboxProvider.createSession(sandboxCtx(), createInput).catch((e: unknown) => e);
    expect((err as ProviderError).code).to.equal('sandbox_unauthorized');
  });

  it('refuses a create answer without a usable checkoutUrl', async () => {
    nock(BASE).post('/sandbox/api/sessions').reply(201, { sessionId: 's', checkoutUrl: 'javascript:alert(1)', expiresAt: NOW });
    const err = await sandboxProvider.createSession(sandboxCtx(), createInput).catch((e: unknown) => e);
    expect((err as ProviderError).code).to.equal('bad_response');
  });

  it('maps the status API answer to a fact with order number, amount and refunded total', async () => {
    nock(BASE, { reqheaders: { authorization: AUTH } })
      .get('/sandbox/api/sessions/ses_abc')
      .reply(200, { sessionId: 'ses_abc', orderNo: 'sbx-4', status: 'paid', amountMinor: 250000, currency: 'AMD', refundedMinor: 5000 });
    expect(await sandboxProvider.queryStatus(sandboxCtx(), attempt)).to.deep.equal({
      status: 'paid',
      amountMinor: 250000,
      currency: 'AMD',
      refundedTotalMinor: 5000,
      providerPaymentId: 'ses_abc',
      providerOrderNo: 'sbx-4',
      rawStatus: 'paid',
    });
  });

  it('reports an unknown session as a provider error, not as failed', async () => {
    nock(BASE)
      .get('/sandbox/api/sessions/ses_abc')
      .reply(404, { error: { code: 'sandbox_session_not_found', message: 'x' } });
    const err = await sandboxProvider.queryStatus(sandboxCtx(), attempt).catch((e: unknown) => e);
    expect((err as ProviderError).code).to.equal('sandbox_session_not_found');
  });

  it('refunds with amountMinor and refundId and reports success', async () => {
    let sent: unknown;
    nock(BASE, { reqheaders: { authorization: AUTH } })
      .post('/sandbox/api/sessions/ses_abc/refunds', (b) => {
        sent = b;
        return true;
      })
      .reply(201, { refundId: 'rf_1', state: 'succeeded', amountMinor: 5000, refundedMinor: 5000 });
    expect(await sandboxProvider.refund(sandboxCtx(), attempt, 5000, { refundId: 'rf_1' })).to.deep.equal({
      state: 'succeeded',
      providerRefundId: 'rf_1',
    });
    expect(sent).to.deep.equal({ amountMinor: 5000, refundId: 'rf_1' });
  });

  it('reports a refused refund as failed with the gateway reason', async () => {
    nock(BASE)
      .post('/sandbox/api/sessions/ses_abc/refunds')
      .reply(422, { error: { code: 'sandbox_refund_exceeds', message: 'too much' } });
    expect(await sandboxProvider.refund(sandboxCtx(), attempt, 999999, { refundId: 'rf_2' })).to.deep.equal({
      state: 'failed',
      message: 'sandbox_refund_exceeds: too much',
    });
  });

  it('does not call a refund that timed out failed: ProviderTimeoutError, outcome unknown', async () => {
    nock(BASE)
      .post('/sandbox/api/sessions/ses_abc/refunds')
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const err = await sandboxProvider.refund(sandboxCtx(), attempt, 5000, { refundId: 'rf_3' }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ProviderTimeoutError);
  });

  it('cancels, and reports a refusal for a paid session as failed', async () => {
    nock(BASE).post('/sandbox/api/sessions/ses_abc/cancel').reply(200, { sessionId: 'ses_abc', status: 'cancelled' });
    expect(await sandboxProvider.cancel(sandboxCtx(), attempt)).to.deep.equal({ state: 'succeeded' });
    nock(BASE)
      .post('/sandbox/api/sessions/ses_abc/cancel')
      .reply(409, { error: { code: 'sandbox_already_paid', message: 'refund it' } });
    expect(await sandboxProvider.cancel(sandboxCtx(), attempt)).to.deep.equal({
      state: 'failed',
      message: 'sandbox_already_paid: refund it',
    });
  });

  it('refuses to refund or cancel an attempt that never got a session', async () => {
    const none = { ...attempt, providerPaymentId: null };
    const err = await sandboxProvider.refund(sandboxCtx(), none, 1, { refundId: 'r' }).catch((e: unknown) => e);
    expect((err as ProviderError).code).to.equal('sandbox_no_session');
  });

  it('numbers orders sbx-{counter}', () => {
    expect(sandboxProvider.orderNo({ counter: 12, attemptId: 'a', mode: 'test', credentials: { webhookSecret: SECRET } })).to.equal(
      'sbx-12',
    );
  });
});
