import { expect } from 'chai';
import nock from 'nock';
import { ManualClock } from '../../../../server/platform/clock.ts';
import { createAxiosHttpClient } from '../../../../server/platform/http-client.ts';
import { arcaProvider } from '../../../../server/providers/arca/index.ts';
import { ProviderError, ProviderTimeoutError } from '../../../../server/providers/errors.ts';
import type { CreateSessionInput } from '../../../../server/providers/provider.ts';
import { credentials, formOf, LIVE_HOST, makeAttempt, makeCtx, MD_ORDER, METHOD, ORDER_NO, TEST_HOST } from './fixtures.ts';

const FORM_URL = `${TEST_HOST}/payment/merchants/shop/payment_hy.html?mdOrder=${MD_ORDER}`;

function input(overrides: Partial<CreateSessionInput> = {}): CreateSessionInput {
  return {
    attempt: makeAttempt({ providerPaymentId: null }),
    description: 'Order 42',
    language: 'hy',
    returnUrl: 'https://pay.example.am/pay/tok123/return',
    failUrl: 'https://pay.example.am/pay/tok123/return?failed=1',
    notifyUrl: 'https://pay.example.am/webhooks/arca/7',
    ttlSec: 1200,
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(ProviderError);
    return err as ProviderError;
  }
  throw new Error('expected a rejection');
}

describe('arca createSession (register.do)', () => {
  afterEach(() => nock.cleanAll());

  it('posts a form with minor-unit amount, numeric currency and our orderNumber, and redirects to formUrl', async () => {
    let sent: Record<string, string> = {};
    let contentType = '';
    const scope = nock(TEST_HOST)
      .post(METHOD('register'), (b) => {
        sent = formOf(b);
        return true;
      })
      .reply(function () {
        contentType = String(this.req.headers['content-type']);
        return [200, { orderId: MD_ORDER, formUrl: FORM_URL }];
      });
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 10));
    const result = await arcaProvider.createSession(makeCtx({ clock }), input());
    scope.done();
    expect(contentType).to.match(/application\/x-www-form-urlencoded/);
    expect(sent).to.deep.equal({
      userName: credentials.userName,
      password: credentials.password,
      amount: '150000',
      currency: '051',
      orderNumber: ORDER_NO,
      returnUrl: 'https://pay.example.am/pay/tok123/return',
      failUrl: 'https://pay.example.am/pay/tok123/return?failed=1',
      description: 'Order 42',
      language: 'hy',
      sessionTimeoutSecs: '1200',
    });
    expect(result).to.deep.equal({
      providerPaymentId: MD_ORDER,
      redirect: { method: 'GET', url: FORM_URL },
      sessionExpiresAt: clock.now() + 1_200_000,
    });
  });

  it('accepts errorCode "0" and sends a 10^12-minor amount as the exact integer', async () => {
    let sent: Record<string, string> = {};
    nock(TEST_HOST)
      .post(METHOD('register'), (b) => {
        sent = formOf(b);
        return true;
      })
      .reply(200, { errorCode: '0', orderId: MD_ORDER, formUrl: FORM_URL });
    await arcaProvider.createSession(makeCtx(), input({ attempt: makeAttempt({ amountMinor: 1_000_000_000_000 }) }));
    expect(sent.amount).to.equal('1000000000000');
  });

  it('uses the live host in live mode and baseUrl for other BPC banks', async () => {
    const live = nock(LIVE_HOST).post(METHOD('register')).reply(200, { orderId: MD_ORDER, formUrl: FORM_URL });
    await arcaProvider.createSession(makeCtx({ mode: 'live' }), input());
    live.done();
    const epg = nock('https://testepg.arca.am').post(METHOD('register')).reply(200, { orderId: MD_ORDER, formUrl: FORM_URL });
    await arcaProvider.createSession(makeCtx({ baseUrl: 'https://testepg.arca.am/payment/rest/' }), input());
    epg.done();
  });

  it('reports a duplicate orderNumber (errorCode 1) as arca_duplicate_order', async () => {
    nock(TEST_HOST).post(METHOD('register')).reply(200, { errorCode: '1', errorMessage: 'Order with this number was already processed' });
    const err = await rejection(arcaProvider.createSession(makeCtx(), input()));
    expect(err.code).to.equal('arca_duplicate_order');
    expect(err.message).to.contain('already registered').and.not.contain('already processed');
    expect(err.providerSaid).to.equal('Order with this number was already processed');
  });

  it('reports errorCode 5 as access denied with the EPG password-change hint', async () => {
    nock(TEST_HOST).post(METHOD('register')).reply(200, { errorCode: 5, errorMessage: 'Access denied' });
    const err = await rejection(arcaProvider.createSession(makeCtx(), input()));
    expect(err.code).to.equal('arca_access_denied');
    expect(err.message).to.match(/change their password/);
    expect(err.message).to.not.contain(credentials.password);
  });

  it('does not count a missing errorCode as success when formUrl is missing', async () => {
    nock(TEST_HOST).post(METHOD('register')).reply(200, { orderId: MD_ORDER });
    expect((await rejection(arcaProvider.createSession(makeCtx(), input()))).code).to.equal('arca_bad_response');
  });

  it('reports an HTML error page as arca_bad_response', async () => {
    nock(TEST_HOST).post(METHOD('register')).reply(503, '<html>Service Unavailable</html>');
    expect((await rejection(arcaProvider.createSession(makeCtx(), input()))).code).to.equal('arca_bad_response');
  });

  it('reports a timeout as ProviderTimeoutError after exactly one request', async () => {
    let calls = 0;
    nock(TEST_HOST)
      .post(METHOD('register'))
      .times(3)
      .delay(300)
      .reply(() => {
        calls += 1;
        return [200, { orderId: MD_ORDER, formUrl: FORM_URL }];
      });
    const err = await rejection(arcaProvider.createSession(makeCtx({ http: createAxiosHttpClient({ defaultTimeoutMs: 50 }) }), input()));
    expect(err).to.be.instanceOf(ProviderTimeoutError);
    expect(calls).to.equal(1);
  });
});
