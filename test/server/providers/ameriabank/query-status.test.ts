import { expect } from 'chai';
import nock from 'nock';
import { ameriabankProvider } from '../../../../server/providers/ameriabank/index.ts';
import { type ProviderError, ProviderTimeoutError } from '../../../../server/providers/errors.ts';
import { createAxiosHttpClient } from '../../../../server/platform/http-client.ts';
import { credentials, makeAttempt, makeCtx, OP, paidDetails, PAYMENT_ID, TEST_HOST } from './fixtures.ts';

function answer(body: unknown, status = 200) {
  let sent: unknown;
  const scope = nock(TEST_HOST)
    .post(OP('GetPaymentDetails'), (b) => {
      sent = b;
      return true;
    })
    .reply(status, body as nock.Body);
  return { scope, sent: () => sent };
}

describe('ameriabank queryStatus (GetPaymentDetails)', () => {
  afterEach(() => nock.cleanAll());

  it('reports a deposited order as paid with our OrderID, amount in minor units and currency', async () => {
    const { scope, sent } = answer(paidDetails());
    const fact = await ameriabankProvider.queryStatus(makeCtx(), makeAttempt());
    scope.done();
    // No ClientID on this endpoint.
    expect(sent()).to.deep.equal({ PaymentID: PAYMENT_ID, Username: credentials.username, Password: credentials.password });
    expect(fact).to.include({
      status: 'paid',
      providerOrderNo: '2923001',
      providerPaymentId: PAYMENT_ID,
      amountMinor: 1000,
      currency: 'AMD',
      refundedTotalMinor: 0,
    });
    expect(fact.rawStatus).to.contain('payment_deposited');
    expect(fact.occurredAt).to.equal(Date.UTC(2026, 0, 15, 10, 3, 27));
  });

  it('reads ApprovedAmount given in decimals ("10.00", 10.5) as exact minor units', async () => {
    answer(paidDetails({ ApprovedAmount: '10.00' }));
    expect((await ameriabankProvider.queryStatus(makeCtx(), makeAttempt())).amountMinor).to.equal(1000);
    answer(paidDetails({ ApprovedAmount: 10.5 }));
    expect((await ameriabankProvider.queryStatus(makeCtx(), makeAttempt())).amountMinor).to.equal(1050);
  });

  it('converts a 10^12-minor amount (10 000 000 000 AMD) and its .99 neighbour without float error', async () => {
    answer(paidDetails({ ApprovedAmount: 10000000000, RefundedAmount: '9999999999.99' }));
    const fact = await ameriabankProvider.queryStatus(makeCtx(), makeAttempt());
    expect(fact.amountMinor).to.equal(1_000_000_000_000);
    expect(fact.refundedTotalMinor).to.equal(999_999_999_999);
  });

  it('rejects a stranger\'s genuine PaymentID paired with our OrderID: their paid order is "unknown", never paid', async () => {
    answer(paidDetails({ OrderID: '2923777', Opaque: 'someone-else' }));
    const fact = await ameriabankProvider.queryStatus(
      makeCtx(),
      makeAttempt({ providerPaymentId: 'b1b2b3b4-0000-4000-8000-000000000001' }),
    );
    expect(fact.status).to.equal('unknown');
    expect(fact.providerOrderNo).to.equal('2923777');
    expect(fact.rawStatus).to.match(/mismatch.*2923777.*2923001/);
  });

  it('does not call a colliding order paid when Opaque shows another InitPayment reused our OrderID', async () => {
    answer(paidDetails({ Opaque: 'other-shop-order-17' }));
    const fact = await ameriabankProvider.queryStatus(makeCtx(), makeAttempt());
    expect(fact.status).to.equal('unknown');
    expect(fact.rawStatus).to.match(/Opaque/);
  });

  it('is not paid when ResponseCode is not 00, even with OrderStatus 2', async () => {
    answer(paidDetails({ ResponseCode: '0116' }));
    expect((await ameriabankProvider.queryStatus(makeCtx(), makeAttempt())).status).to.equal('unknown');
  });

  it('is not paid for OrderStatus 1 (held) unless the ClientID is two-stage', async () => {
    answer(paidDetails({ OrderStatus: '1', PaymentState: 'payment_approved' }));
    const oneStage = await ameriabankProvider.queryStatus(makeCtx(), makeAttempt());
    expect(oneStage.status).to.equal('unknown');
    expect(oneStage.rawStatus).to.match(/twoStage/);

    answer(paidDetails({ OrderStatus: '1', PaymentState: 'payment_approved' }));
    const twoStage = await ameriabankProvider.queryStatus(makeCtx({ credentials: { ...credentials, twoStage: true } }), makeAttempt());
    expect(twoStage.status).to.equal('paid');
  });

  it('reports OrderStatus 4 (also for partial refunds) as paid with the cumulative refunded total', async () => {
    answer(paidDetails({ OrderStatus: '4', PaymentState: 'payment_refunded', DepositedAmount: 6.0, RefundedAmount: 4.0 }));
    const fact = await ameriabankProvider.queryStatus(makeCtx(), makeAttempt());
    expect(fact).to.include({ status: 'paid', amountMinor: 1000, refundedTotalMinor: 400 });
  });

  it('accepts ResponseCode as an int and treats empty strings as absent', async () => {
    answer({ ResponseCode: 550, OrderStatus: '', OrderID: '' });
    expect((await ameriabankProvider.queryStatus(makeCtx(), makeAttempt())).status).to.equal('pending');

    // Only InitPayment answers ints (1); the other calls say "00". An int 0 is undocumented, so not success.
    answer(paidDetails({ ResponseCode: 0, OrderStatus: 2 }));
    expect((await ameriabankProvider.queryStatus(makeCtx(), makeAttempt())).status).to.equal('unknown');

    answer(paidDetails({ ApprovedAmount: '', RefundedAmount: '', Currency: '' }));
    const fact = await ameriabankProvider.queryStatus(makeCtx(), makeAttempt());
    expect(fact.status).to.equal('unknown');
    expect(fact.amountMinor).to.equal(undefined);
    expect(fact.refundedTotalMinor).to.equal(undefined);
    expect(fact.currency).to.equal(undefined);
  });

  it('never calls paid an answer with no OrderID to tie it to our order', async () => {
    answer(paidDetails({ OrderID: '' }));
    const fact = await ameriabankProvider.queryStatus(makeCtx(), makeAttempt());
    expect(fact.status).to.equal('unknown');
    expect(fact.providerOrderNo).to.equal(undefined);
  });

  it('never calls paid an unreadable ApprovedAmount (three decimals would lose money)', async () => {
    answer(paidDetails({ ApprovedAmount: '10.005' }));
    expect((await ameriabankProvider.queryStatus(makeCtx(), makeAttempt())).status).to.equal('unknown');
  });

  it('maps void, declined, started and ACS states without ever saying paid', async () => {
    const cases: Array<[string, string]> = [
      ['3', 'cancelled'],
      ['6', 'failed'],
      ['0', 'pending'],
      ['5', 'pending'],
      ['9', 'unknown'],
    ];
    for (const [orderStatus, status] of cases) {
      answer(paidDetails({ OrderStatus: orderStatus, ResponseCode: orderStatus === '6' ? '0116' : '00' }));
      expect((await ameriabankProvider.queryStatus(makeCtx(), makeAttempt())).status, `OrderStatus ${orderStatus}`).to.equal(status);
    }
  });

  it('treats "550" for a never-attempted PaymentID as pending and says why', async () => {
    answer({ OrderID: '', OrderStatus: '', ResponseCode: '550', Amount: 0, ApprovedAmount: 0, Currency: '', Opaque: '' });
    const fact = await ameriabankProvider.queryStatus(makeCtx(), makeAttempt());
    expect(fact.status).to.equal('pending');
    expect(fact.rawStatus).to.match(/no payment attempt yet/);
  });

  it('treats HTTP 500 {"Message":"An error has occurred."} as pending, never paid or failed', async () => {
    answer({ Message: 'An error has occurred.' }, 500);
    const fact = await ameriabankProvider.queryStatus(makeCtx(), makeAttempt());
    expect(fact.status).to.equal('pending');
    expect(fact.rawStatus).to.equal('HTTP 500: Ameriabank answers this for a payment not attempted yet');
  });

  it('throws ameriabank_auth_failed for ResponseCode 20', async () => {
    answer({ ResponseCode: 20, OrderStatus: '' });
    try {
      await ameriabankProvider.queryStatus(makeCtx(), makeAttempt());
      expect.fail('expected a rejection');
    } catch (err) {
      expect((err as ProviderError).code).to.equal('ameriabank_auth_failed');
    }
  });

  it('throws on an HTML gateway page instead of guessing', async () => {
    answer('<html>502 Bad Gateway</html>', 502);
    try {
      await ameriabankProvider.queryStatus(makeCtx(), makeAttempt());
      expect.fail('expected a rejection');
    } catch (err) {
      expect((err as ProviderError).code).to.equal('ameriabank_bad_response');
    }
  });

  it('finds the PaymentID by our OrderID when InitPayment timed out before answering', async () => {
    let lookup: unknown;
    nock(TEST_HOST)
      .post(OP('GetPaymentId'), (b) => {
        lookup = b;
        return true;
      })
      .reply(200, { PaymentId: PAYMENT_ID.toLowerCase(), ResponseCode: '00', ResponseMessage: '' });
    const { scope } = answer(paidDetails());
    const fact = await ameriabankProvider.queryStatus(makeCtx(), makeAttempt({ providerPaymentId: null }));
    scope.done();
    expect(lookup).to.deep.include({ ClientID: credentials.clientId, OrderID: 2923001 });
    expect(fact).to.include({ status: 'paid', providerPaymentId: PAYMENT_ID.toLowerCase() });
  });

  it('is pending when no PaymentID exists for our OrderID', async () => {
    nock(TEST_HOST).post(OP('GetPaymentId')).reply(200, { PaymentId: '', ResponseCode: '06', ResponseMessage: 'Unregistered OrderId' });
    const fact = await ameriabankProvider.queryStatus(makeCtx(), makeAttempt({ providerPaymentId: null }));
    expect(fact.status).to.equal('pending');
    expect(fact.rawStatus).to.match(/no PaymentID known/);
  });

  it('reports a status timeout as ProviderTimeoutError', async () => {
    nock(TEST_HOST).post(OP('GetPaymentDetails')).delay(300).reply(200, paidDetails());
    try {
      await ameriabankProvider.queryStatus(makeCtx({ http: createAxiosHttpClient({ defaultTimeoutMs: 50 }) }), makeAttempt());
      expect.fail('expected a rejection');
    } catch (err) {
      expect(err).to.be.instanceOf(ProviderTimeoutError);
    }
  });
});
