import { expect } from 'chai';
import nock from 'nock';
import { createAxiosHttpClient } from '../../../../server/platform/http-client.ts';
import { arcaProvider } from '../../../../server/providers/arca/index.ts';
import { type ProviderError, ProviderTimeoutError } from '../../../../server/providers/errors.ts';
import { credentials, formOf, makeAttempt, makeCtx, MD_ORDER, METHOD, TEST_HOST } from './fixtures.ts';

describe('arca refund (refund.do)', () => {
  afterEach(() => nock.cleanAll());

  it('sends orderId, the minor amount and externalRefundId = our refund id; errorCode 0 is succeeded', async () => {
    let sent: Record<string, string> = {};
    nock(TEST_HOST)
      .post(METHOD('refund'), (b) => {
        sent = formOf(b);
        return true;
      })
      .reply(200, { errorCode: '0', errorMessage: 'Success' });
    const result = await arcaProvider.refund(makeCtx(), makeAttempt(), 50_000, { refundId: 'rf_01J0' });
    expect(sent).to.deep.equal({
      userName: credentials.userName,
      password: credentials.password,
      orderId: MD_ORDER,
      amount: '50000',
      externalRefundId: 'rf_01J0',
    });
    expect(result).to.deep.equal({ state: 'succeeded', providerRefundId: 'rf_01J0' });
  });

  it("reports a refused refund (errorCode 7) as failed, the gateway's words for the log only", async () => {
    nock(TEST_HOST).post(METHOD('refund')).reply(200, { errorCode: '7', errorMessage: 'Refund amount exceeds deposited amount' });
    const result = await arcaProvider.refund(makeCtx(), makeAttempt(), 500_000, { refundId: 'rf_2' });
    expect(result.state).to.equal('failed');
    expect(result.message).to.equal('the gateway refused the refund: errorCode 7');
    expect(result.providerSaid).to.equal('Refund amount exceeds deposited amount');
  });

  it('does not count a missing errorCode as a refund: pending (outcome unknown), never failed', async () => {
    nock(TEST_HOST).post(METHOD('refund')).reply(200, {});
    expect((await arcaProvider.refund(makeCtx(), makeAttempt(), 100, { refundId: 'rf_3' })).state).to.equal('pending');
  });

  it('throws ProviderTimeoutError on a timeout after exactly one request', async () => {
    let calls = 0;
    nock(TEST_HOST)
      .post(METHOD('refund'))
      .times(3)
      .delay(300)
      .reply(() => {
        calls += 1;
        return [200, { errorCode: '0' }];
      });
    try {
      await arcaProvider.refund(makeCtx({ http: createAxiosHttpClient({ defaultTimeoutMs: 50 }) }), makeAttempt(), 100, {
        refundId: 'rf_4',
      });
      expect.fail('expected a rejection');
    } catch (err) {
      expect(err).to.be.instanceOf(ProviderTimeoutError);
    }
    expect(calls).to.equal(1);
  });

  it('treats a reset mid-refund as unknown outcome, a refused connection as nothing sent', async () => {
    nock(TEST_HOST)
      .post(METHOD('refund'))
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    try {
      await arcaProvider.refund(makeCtx(), makeAttempt(), 100, { refundId: 'rf_4b' });
      expect.fail('expected a rejection');
    } catch (err) {
      expect(err).to.be.instanceOf(ProviderTimeoutError);
    }
    nock(TEST_HOST)
      .post(METHOD('refund'))
      .replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    try {
      await arcaProvider.refund(makeCtx(), makeAttempt(), 100, { refundId: 'rf_4c' });
      expect.fail('expected a rejection');
    } catch (err) {
      expect((err as ProviderError).code).to.equal('arca_unreachable');
    }
  });

  it('never sends amount 0 (BPC reads it as "refund everything")', async () => {
    try {
      await arcaProvider.refund(makeCtx(), makeAttempt(), 0, { refundId: 'rf_5' });
      expect.fail('expected a rejection');
    } catch (err) {
      expect((err as ProviderError).code).to.equal('arca_bad_amount');
    }
  });
});
