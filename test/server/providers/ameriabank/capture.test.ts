import { expect } from 'chai';
import nock from 'nock';
import { ameriabankProvider } from '../../../../server/providers/ameriabank/index.ts';
import { ProviderTimeoutError, type ProviderError } from '../../../../server/providers/errors.ts';
import { createAxiosHttpClient } from '../../../../server/platform/http-client.ts';
import { credentials, makeAttempt, makeCtx, OP, PAYMENT_ID, TEST_HOST } from './fixtures.ts';

const capture = (ctx = makeCtx()) => ameriabankProvider.capture!(ctx, makeAttempt(), 1000);

async function rejection(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (err) {
    return err as ProviderError;
  }
  throw new Error('expected a rejection');
}

describe('ameriabank capture (ConfirmPayment, two-stage)', () => {
  afterEach(() => nock.cleanAll());

  it('confirms the held amount in major units by PaymentID, once, and reports "00" as succeeded', async () => {
    let sent: unknown;
    const scope = nock(TEST_HOST)
      .post(OP('ConfirmPayment'), (b) => {
        sent = b;
        return true;
      })
      .reply(200, { ResponseCode: '00', ResponseMessage: 'OK', Opaque: 'att_01HZY3' });
    expect((await capture()).state).to.equal('succeeded');
    scope.done();
    expect(sent).to.deep.equal({ PaymentID: PAYMENT_ID, Username: credentials.username, Password: credentials.password, Amount: '10' });
  });

  it("reports the bank's refusal as failed with its code, keeping the bank's own words for the log only", async () => {
    nock(TEST_HOST).post(OP('ConfirmPayment')).reply(200, { ResponseCode: '07', ResponseMessage: 'Transaction is not in approved state' });
    const result = await capture();
    expect(result.state).to.equal('failed');
    expect(result.message).to.contain('ResponseCode 07').and.not.contain('not in approved state');
    expect(result.providerSaid).to.equal('Transaction is not in approved state');
  });

  it('never claims a result it does not know: HTTP 500 is ameriabank_outcome_unknown, a timeout ProviderTimeoutError, and nothing is sent twice', async () => {
    const scope = nock(TEST_HOST).post(OP('ConfirmPayment')).reply(500, { Message: 'An error has occurred.' });
    expect((await rejection(capture())).code).to.equal('ameriabank_outcome_unknown');
    scope.done();
    nock(TEST_HOST).post(OP('ConfirmPayment')).delay(300).reply(200, { ResponseCode: '00' });
    const slow = makeCtx({ http: createAxiosHttpClient({ defaultTimeoutMs: 100 }) });
    expect(await rejection(capture(slow))).to.be.instanceOf(ProviderTimeoutError);
  });
});

describe('ameriabank probe (GetPaymentId of an unused OrderID)', () => {
  afterEach(() => nock.cleanAll());

  it('takes any answer in the bank’s JSON as accepted credentials, ResponseCode 20 as refused, and changes nothing', async () => {
    let sent: unknown;
    nock(TEST_HOST)
      .post(OP('GetPaymentId'), (b) => {
        sent = b;
        return true;
      })
      .reply(200, { PaymentId: '', ResponseCode: '06', ResponseMessage: 'Unregistered OrderId' });
    expect(await ameriabankProvider.probe!(makeCtx())).to.include({ ok: true, code: 'credentials_accepted' });
    expect(sent).to.deep.include({ ClientID: credentials.clientId, OrderID: 1 });
    nock(TEST_HOST).post(OP('GetPaymentId')).reply(200, { ResponseCode: 20, ResponseMessage: 'Invalid username or password' });
    const refused = await ameriabankProvider.probe!(makeCtx());
    expect(refused).to.include({ ok: false, code: 'credentials_rejected' });
    expect(refused.message).to.match(/username, password and ClientID/);
    nock(TEST_HOST).post(OP('GetPaymentId')).reply(404, '<html>not here</html>');
    expect((await ameriabankProvider.probe!(makeCtx())).ok).to.equal(false);
  });
});
