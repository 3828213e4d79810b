import { expect } from 'chai';
import nock from 'nock';
import { arcaProvider } from '../../../../server/providers/arca/index.ts';
import type { ProviderError } from '../../../../server/providers/errors.ts';
import { credentials, formOf, makeAttempt, makeCtx, MD_ORDER, METHOD, TEST_HOST } from './fixtures.ts';

describe('arca two-stage: registerPreAuth.do, deposit.do and the probe', () => {
  afterEach(() => nock.cleanAll());
  const twoStage = () => makeCtx({ credentials: { ...credentials, twoStage: true } });

  it('opens a two-stage session with registerPreAuth.do when twoStage is on, register.do otherwise', async () => {
    const input = {
      attempt: makeAttempt({ providerPaymentId: null }),
      description: 'Order',
      language: 'en' as const,
      returnUrl: 'https://pay.example.am/pay/t/return',
      failUrl: 'https://pay.example.am/pay/t/return?fail=1',
      notifyUrl: 'https://pay.example.am/webhooks/arca/7',
      ttlSec: 1200,
    };
    const reply = {
      errorCode: '0',
      orderId: MD_ORDER,
      formUrl: 'https://ipaytest.arca.am:8445/payment/merchants/x/payment_en.html?mdOrder=1',
    };
    const pre = nock(TEST_HOST).post(METHOD('registerPreAuth')).reply(200, reply);
    expect((await arcaProvider.createSession(twoStage(), input)).providerPaymentId).to.equal(MD_ORDER);
    pre.done();
    const one = nock(TEST_HOST).post(METHOD('register')).reply(200, reply);
    await arcaProvider.createSession(makeCtx(), input);
    one.done();
  });

  it('captures with deposit.do in minor units: errorCode 0 succeeded, another code failed, no errorCode unknown', async () => {
    let sent: Record<string, string> = {};
    nock(TEST_HOST)
      .post(METHOD('deposit'), (b) => {
        sent = formOf(b);
        return true;
      })
      .reply(200, { errorCode: '0' });
    expect((await arcaProvider.capture!(twoStage(), makeAttempt(), 150000)).state).to.equal('succeeded');
    expect(sent).to.deep.equal({ userName: credentials.userName, password: credentials.password, orderId: MD_ORDER, amount: '150000' });
    nock(TEST_HOST).post(METHOD('deposit')).reply(200, { errorCode: '7', errorMessage: 'Deposit amount exceeds' });
    expect((await arcaProvider.capture!(twoStage(), makeAttempt(), 150000)).state).to.equal('failed');
    nock(TEST_HOST).post(METHOD('deposit')).reply(502, 'Bad Gateway');
    try {
      await arcaProvider.capture!(twoStage(), makeAttempt(), 150000);
      expect.fail('expected a rejection');
    } catch (err) {
      expect((err as ProviderError).code).to.equal('arca_outcome_unknown');
    }
  });

  it('probes with getOrderStatusExtended.do of an order nobody registered: errorCode 6 accepted, 5 refused', async () => {
    nock(TEST_HOST).post(METHOD('getOrderStatusExtended')).reply(200, { errorCode: '6', errorMessage: 'Order not found' });
    expect(await arcaProvider.probe!(makeCtx())).to.include({ ok: true, code: 'credentials_accepted' });
    nock(TEST_HOST).post(METHOD('getOrderStatusExtended')).reply(200, { errorCode: '5', errorMessage: 'Access denied' });
    expect(await arcaProvider.probe!(makeCtx())).to.include({ ok: false, code: 'credentials_rejected' });
  });
});
