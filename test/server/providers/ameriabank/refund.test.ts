import { expect } from 'chai';
import nock from 'nock';
import { createAxiosHttpClient } from '../../../../server/platform/http-client.ts';
import { ameriabankProvider } from '../../../../server/providers/ameriabank/index.ts';
import { type ProviderError, ProviderTimeoutError } from '../../../../server/providers/errors.ts';
import { credentials, makeAttempt, makeCtx, OP, PAYMENT_ID, TEST_HOST } from './fixtures.ts';

describe('ameriabank refund (RefundPayment)', () => {
  afterEach(() => nock.cleanAll());

  it('sends the amount in major units without ClientID and reports "00" as succeeded', async () => {
    let sent: unknown;
    nock(TEST_HOST)
      .post(OP('RefundPayment'), (b) => {
        sent = b;
        return true;
      })
      .reply(200, { ResponseCode: '00', ResponseMessage: 'Success', Opaque: 'att_01HZY3' });
    const result = await ameriabankProvider.refund(makeCtx(), makeAttempt({ amountMinor: 1_000_000_000_000 }), 999_999_999_950, {
      refundId: 'rf_1',
    });
    expect(sent).to.deep.equal({
      PaymentID: PAYMENT_ID,
      Username: credentials.username,
      Password: credentials.password,
      Amount: '9999999999.5',
    });
    expect(result.state).to.equal('succeeded');
  });

  it('reports "07" (refund exceeds deposited amount) as failed, with the bank\'s message for the log only', async () => {
    nock(TEST_HOST).post(OP('RefundPayment')).reply(200, { ResponseCode: '07', ResponseMessage: 'Refund amount exceeds deposited amount' });
    const result = await ameriabankProvider.refund(makeCtx(), makeAttempt(), 2000, { refundId: 'rf_2' });
    expect(result.state).to.equal('failed');
    expect(result.message).to.equal('Ameriabank refused the refund: ResponseCode 07');
    expect(result.providerSaid).to.equal('Refund amount exceeds deposited amount');
  });

  it('does not claim failure on HTTP 500: the outcome is unknown, so it is pending', async () => {
    nock(TEST_HOST).post(OP('RefundPayment')).reply(500, { Message: 'An error has occurred.' });
    const result = await ameriabankProvider.refund(makeCtx(), makeAttempt(), 500, { refundId: 'rf_3' });
    expect(result.state).to.equal('pending');
  });

  it('throws ProviderTimeoutError on a timeout after exactly one request (no idempotency key: never retried)', async () => {
    let calls = 0;
    nock(TEST_HOST)
      .post(OP('RefundPayment'))
      .times(3)
      .delay(300)
      .reply(() => {
        calls += 1;
        return [200, { ResponseCode: '00' }];
      });
    try {
      await ameriabankProvider.refund(makeCtx({ http: createAxiosHttpClient({ defaultTimeoutMs: 50 }) }), makeAttempt(), 500, {
        refundId: 'rf_4',
      });
      expect.fail('expected a rejection');
    } catch (err) {
      expect(err).to.be.instanceOf(ProviderTimeoutError);
    }
    expect(calls).to.equal(1);
  });

  it('treats a connection reset mid-refund as unknown outcome (ProviderTimeoutError), not as "nothing happened"', async () => {
    // An Error instance: nock 14 leaves the object form hanging until the client timeout.
    nock(TEST_HOST)
      .post(OP('RefundPayment'))
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    try {
      await ameriabankProvider.refund(makeCtx(), makeAttempt(), 500, { refundId: 'rf_5' });
      expect.fail('expected a rejection');
    } catch (err) {
      expect(err).to.be.instanceOf(ProviderTimeoutError);
    }
  });

  it('reports a refused connection as ameriabank_unreachable: the request never left, so nothing happened', async () => {
    nock(TEST_HOST)
      .post(OP('RefundPayment'))
      .replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    try {
      await ameriabankProvider.refund(makeCtx(), makeAttempt(), 500, { refundId: 'rf_5b' });
      expect.fail('expected a rejection');
    } catch (err) {
      expect(err).to.not.be.instanceOf(ProviderTimeoutError);
      expect((err as ProviderError).code).to.equal('ameriabank_unreachable');
    }
  });

  it('refuses to refund without a PaymentID or with a non-positive amount', async () => {
    for (const [attempt, amount, code] of [
      [makeAttempt({ providerPaymentId: null }), 500, 'ameriabank_no_payment_id'],
      [makeAttempt(), 0, 'ameriabank_bad_amount'],
    ] as const) {
      try {
        await ameriabankProvider.refund(makeCtx(), attempt, amount, { refundId: 'rf_6' });
        expect.fail('expected a rejection');
      } catch (err) {
        expect((err as ProviderError).code).to.equal(code);
      }
    }
  });
});
