import { expect } from 'chai';
import nock from 'nock';
import { ameriabankProvider } from '../../../../server/providers/ameriabank/index.ts';
import { type ProviderError } from '../../../../server/providers/errors.ts';
import { credentials, makeAttempt, makeCtx, OP, PAYMENT_ID, TEST_HOST } from './fixtures.ts';

describe('ameriabank cancel (CancelPayment)', () => {
  afterEach(() => nock.cleanAll());

  it('voids by PaymentID and reports "00" as succeeded', async () => {
    let sent: unknown;
    nock(TEST_HOST)
      .post(OP('CancelPayment'), (b) => {
        sent = b;
        return true;
      })
      .reply(200, { ResponseCode: '00', ResponseMessage: 'Success', Opaque: 'att_01HZY3' });
    expect((await ameriabankProvider.cancel(makeCtx(), makeAttempt())).state).to.equal('succeeded');
    expect(sent).to.deep.equal({ PaymentID: PAYMENT_ID, Username: credentials.username, Password: credentials.password });
  });

  it("still asks the bank after the 72 h window and reports its refusal with a hint to refund, the bank's words only for the log", async () => {
    nock(TEST_HOST)
      .post(OP('CancelPayment'))
      .reply(200, { ResponseCode: '07', ResponseMessage: 'Reversal is impossible for current transaction state' });
    const result = await ameriabankProvider.cancel(makeCtx(), makeAttempt());
    expect(result.state).to.equal('failed');
    expect(result.message)
      .to.match(/ResponseCode 07/)
      .and.match(/refund/);
    expect(result.message).not.to.contain('Reversal is impossible');
    expect(result.providerSaid).to.equal('Reversal is impossible for current transaction state');
  });

  it('does not claim "failed" on HTTP 500: throws ameriabank_outcome_unknown', async () => {
    nock(TEST_HOST).post(OP('CancelPayment')).reply(500, { Message: 'An error has occurred.' });
    try {
      await ameriabankProvider.cancel(makeCtx(), makeAttempt());
      expect.fail('expected a rejection');
    } catch (err) {
      expect((err as ProviderError).code).to.equal('ameriabank_outcome_unknown');
    }
  });
});
