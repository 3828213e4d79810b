import { expect } from 'chai';
import nock from 'nock';
import { arcaProvider } from '../../../../server/providers/arca/index.ts';
import { ProviderError } from '../../../../server/providers/errors.ts';
import { credentials, formOf, makeAttempt, makeCtx, MD_ORDER, METHOD, ORDER_NO, paidStatus, TEST_HOST } from './fixtures.ts';

function answer(body: unknown, status = 200) {
  let sent: Record<string, string> = {};
  const scope = nock(TEST_HOST)
    .post(METHOD('getOrderStatusExtended'), (b) => {
      sent = formOf(b);
      return true;
    })
    .reply(status, body as nock.Body);
  return { scope, sent: () => sent };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(ProviderError);
    return (err as ProviderError).code;
  }
  throw new Error('expected a rejection');
}

describe('arca queryStatus (getOrderStatusExtended.do)', () => {
  afterEach(() => nock.cleanAll());

  it('reports orderStatus 2 as paid with our orderNumber, minor amount and currency', async () => {
    const { scope, sent } = answer(paidStatus());
    const fact = await arcaProvider.queryStatus(makeCtx(), makeAttempt());
    scope.done();
    expect(sent()).to.deep.equal({ userName: credentials.userName, password: credentials.password, orderId: MD_ORDER });
    expect(fact).to.include({
      status: 'paid',
      providerOrderNo: ORDER_NO,
      providerPaymentId: MD_ORDER,
      amountMinor: 150000,
      currency: 'AMD',
      refundedTotalMinor: 0,
      occurredAt: 1768471380000,
    });
  });

  it('asks by orderNumber when register.do never told us the orderId', async () => {
    const { sent } = answer(paidStatus());
    await arcaProvider.queryStatus(makeCtx(), makeAttempt({ providerPaymentId: null }));
    expect(sent()).to.deep.include({ orderNumber: ORDER_NO });
    expect(sent()).to.not.have.property('orderId');
  });

  it('does not call orderStatus 5 (3-DS still running) paid', async () => {
    answer(
      paidStatus({
        orderStatus: 5,
        paymentAmountInfo: { approvedAmount: 0, depositedAmount: 0, refundedAmount: 0, paymentState: 'CREATED' },
      }),
    );
    expect((await arcaProvider.queryStatus(makeCtx(), makeAttempt())).status).to.equal('pending');
  });

  it('never reports orderStatus 1 (held, not captured) as paid: authorized when two-stage is on, a question for a person when not', async () => {
    answer(paidStatus({ orderStatus: 1 }));
    const oneStage = await arcaProvider.queryStatus(makeCtx(), makeAttempt());
    expect(oneStage).to.include({ status: 'unknown', needsPerson: true });
    expect(oneStage.rawStatus).to.match(/twoStage/);
    answer(paidStatus({ orderStatus: 1 }));
    const held = await arcaProvider.queryStatus(makeCtx({ credentials: { ...credentials, twoStage: true } }), makeAttempt());
    expect(held).to.include({ status: 'authorized', amountMinor: 150000, captureMode: 'auto' });
  });

  it('reports orderStatus 4 as paid with refundedTotalMinor from paymentAmountInfo', async () => {
    answer(
      paidStatus({
        orderStatus: 4,
        paymentAmountInfo: { approvedAmount: 150000, depositedAmount: 100000, refundedAmount: 50000, paymentState: 'REFUNDED' },
      }),
    );
    expect(await arcaProvider.queryStatus(makeCtx(), makeAttempt())).to.include({
      status: 'paid',
      amountMinor: 150000,
      refundedTotalMinor: 50000,
    });
  });

  it('maps 0, 3, 6, 7 and undocumented statuses without saying paid', async () => {
    const cases: Array<[number, string]> = [
      [0, 'pending'],
      [3, 'cancelled'],
      [6, 'failed'],
      [7, 'pending'],
      [42, 'unknown'],
    ];
    for (const [orderStatus, status] of cases) {
      answer(paidStatus({ orderStatus }));
      expect((await arcaProvider.queryStatus(makeCtx(), makeAttempt())).status, `orderStatus ${orderStatus}`).to.equal(status);
    }
  });

  it('rejects another merchant order reached through a handed-in orderId: orderNumber mismatch is "unknown"', async () => {
    answer(paidStatus({ orderNumber: 'drlSOMEONEELSE' }));
    const fact = await arcaProvider.queryStatus(makeCtx(), makeAttempt({ providerPaymentId: 'ffffffff-0000-4000-8000-000000000000' }));
    expect(fact.status).to.equal('unknown');
    expect(fact.providerOrderNo).to.equal('drlSOMEONEELSE');
    expect(fact.rawStatus).to.match(/mismatch/);
  });

  it('does not count a missing errorCode as success by itself: no orderStatus → error, bare orderStatus 2 → not paid', async () => {
    answer({});
    expect(await codeOf(arcaProvider.queryStatus(makeCtx(), makeAttempt()))).to.equal('arca_bad_response');
    answer({ errorMessage: 'Something' });
    expect(await codeOf(arcaProvider.queryStatus(makeCtx(), makeAttempt()))).to.equal('arca_bad_response');
    answer({ orderStatus: 2 });
    expect((await arcaProvider.queryStatus(makeCtx(), makeAttempt())).status).to.equal('unknown');
  });

  it('accepts an answer that omits errorCode when nothing went wrong (BPC allows it)', async () => {
    const { errorCode: _e, errorMessage: _m, ...body } = paidStatus();
    answer(body);
    expect((await arcaProvider.queryStatus(makeCtx(), makeAttempt())).status).to.equal('paid');
  });

  it('reads the legacy PascalCase answer of getOrderStatus.do', async () => {
    answer({
      ErrorCode: '0',
      ErrorMessage: 'Success',
      OrderStatus: 2,
      OrderNumber: ORDER_NO,
      Amount: 150000,
      currency: '051',
      Pan: '411111**1111',
    });
    expect(await arcaProvider.queryStatus(makeCtx(), makeAttempt())).to.include({
      status: 'paid',
      providerOrderNo: ORDER_NO,
      amountMinor: 150000,
    });
  });

  it('reads legacy ErrorCode 2 with OrderStatus 6 as a decline, not an error', async () => {
    answer({ ErrorCode: '2', ErrorMessage: 'Payment is declined', OrderStatus: 6, OrderNumber: ORDER_NO, Amount: 150000, currency: '051' });
    expect((await arcaProvider.queryStatus(makeCtx(), makeAttempt())).status).to.equal('failed');
  });

  it('throws arca_order_not_found for errorCode 6', async () => {
    answer({ errorCode: '6', errorMessage: 'Order not found' });
    expect(await codeOf(arcaProvider.queryStatus(makeCtx(), makeAttempt()))).to.equal('arca_order_not_found');
  });

  it('falls back to approvedAmount when amount is absent, and takes an absent currency from our register call', async () => {
    const { amount: _a, currency: _c, ...body } = paidStatus();
    answer(body);
    const fact = await arcaProvider.queryStatus(makeCtx(), makeAttempt({ currency: 'USD' }));
    expect(fact).to.include({ status: 'paid', amountMinor: 150000, currency: 'USD' });
    expect(fact.rawStatus).to.match(/currency not reported/);
  });

  it('never calls paid an answer with an unknown currency code', async () => {
    answer(paidStatus({ currency: '999' }));
    expect((await arcaProvider.queryStatus(makeCtx(), makeAttempt())).status).to.equal('unknown');
  });

  it('reads a 10^12-minor amount exactly', async () => {
    answer(paidStatus({ amount: 1_000_000_000_000 }));
    expect((await arcaProvider.queryStatus(makeCtx(), makeAttempt())).amountMinor).to.equal(1_000_000_000_000);
  });

  it('throws on HTML instead of guessing', async () => {
    answer('<html>Bad Gateway</html>', 502);
    expect(await codeOf(arcaProvider.queryStatus(makeCtx(), makeAttempt()))).to.equal('arca_bad_response');
  });
});
