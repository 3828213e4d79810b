import { expect } from 'chai';
import nock from 'nock';
import { type ProviderError } from '../../../../server/providers/errors.ts';
import type { AttemptRef, CreateSessionInput } from '../../../../server/providers/provider.ts';
import { sandboxApiKey } from '../../../../server/providers/sandbox/api-key.ts';
import { sandboxProvider } from '../../../../server/providers/sandbox/index.ts';
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

describe('sandbox createSession', () => {
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
    await sandboxProvider.createSession(
      sandboxCtx({ outbound: { operatorHosts: [{ host: '127.0.0.1' }] }, baseUrl: 'http://127.0.0.1:4013' }),
      createInput,
    );
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
    expect((err as ProviderError).code).to.equal('sandbox_bad_response');
  });
});
