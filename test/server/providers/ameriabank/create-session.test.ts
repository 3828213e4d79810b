import { expect } from 'chai';
import nock from 'nock';
import { ManualClock } from '../../../../server/platform/clock.ts';
import { createAxiosHttpClient } from '../../../../server/platform/http-client.ts';
import { ameriabankProvider } from '../../../../server/providers/ameriabank/index.ts';
import { ProviderError, ProviderTimeoutError } from '../../../../server/providers/errors.ts';
import type { CreateSessionInput } from '../../../../server/providers/provider.ts';
import { credentials, LIVE_HOST, makeAttempt, makeCtx, OP, PAYMENT_ID, TEST_HOST } from './fixtures.ts';

function input(overrides: Partial<CreateSessionInput> = {}): CreateSessionInput {
  return {
    attempt: makeAttempt({ providerPaymentId: null }),
    description: 'Order 42',
    language: 'hy',
    returnUrl: 'https://pay.example.am/pay/tok123/return',
    failUrl: 'https://pay.example.am/pay/tok123/return',
    notifyUrl: 'https://pay.example.am/webhooks/ameriabank/7',
    ttlSec: 3600,
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

describe('ameriabank createSession (InitPayment)', () => {
  afterEach(() => nock.cleanAll());

  it('sends major units as a decimal string, numeric currency, integer OrderID, Opaque and a capped Timeout', async () => {
    let sent: unknown;
    const scope = nock(TEST_HOST)
      .post(OP('InitPayment'), (body) => {
        sent = body;
        return true;
      })
      .reply(200, { PaymentID: PAYMENT_ID, ResponseCode: 1, ResponseMessage: 'OK' });
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 10, 0, 0));
    const result = await ameriabankProvider.createSession(makeCtx({ clock }), input());
    scope.done();
    expect(sent).to.deep.equal({
      ClientID: credentials.clientId,
      Username: credentials.username,
      Password: credentials.password,
      Amount: '10',
      Currency: '051',
      OrderID: 2923001,
      Description: 'Order 42',
      BackURL: 'https://pay.example.am/pay/tok123/return',
      Opaque: 'att_01HZY3',
      Timeout: 1200,
    });
    expect(result.providerPaymentId).to.equal(PAYMENT_ID);
    expect(result.redirect).to.deep.equal({
      method: 'GET',
      url: `${TEST_HOST}/VPOS/Payments/Pay?id=${PAYMENT_ID}&lang=am`,
    });
    expect(result.sessionExpiresAt).to.equal(clock.now() + 1200 * 1000);
  });

  it('never builds the pay URL with &amp; and maps ru/en unchanged', async () => {
    nock(TEST_HOST).post(OP('InitPayment')).reply(200, { PaymentID: PAYMENT_ID, ResponseCode: '1', ResponseMessage: 'OK' });
    const result = await ameriabankProvider.createSession(makeCtx(), input({ language: 'ru' }));
    expect(result.redirect.url).to.not.contain('&amp;');
    expect(new URL(result.redirect.url).searchParams.get('lang')).to.equal('ru');
  });

  it('keeps a shorter session ttl and converts big and fractional amounts without float error', async () => {
    const bodies: Array<Record<string, unknown>> = [];
    nock(TEST_HOST)
      .post(OP('InitPayment'), (body) => {
        bodies.push(body);
        return true;
      })
      .times(3)
      .reply(200, { PaymentID: PAYMENT_ID, ResponseCode: 1, ResponseMessage: 'OK' });
    const ctx = makeCtx();
    await ameriabankProvider.createSession(ctx, input({ ttlSec: 600, attempt: makeAttempt({ amountMinor: 1_000_000_000_000 }) }));
    await ameriabankProvider.createSession(ctx, input({ attempt: makeAttempt({ amountMinor: 123_456 }) }));
    await ameriabankProvider.createSession(ctx, input({ attempt: makeAttempt({ amountMinor: 999_999_999_999, currency: 'USD' }) }));
    expect(bodies.map((b) => [b.Amount, b.Currency, b.Timeout])).to.deep.equal([
      ['10000000000', '051', 600],
      ['1234.56', '051', 1200],
      ['9999999999.99', '840', 1200],
    ]);
  });

  it('goes to the live host in live mode and to baseUrl when set', async () => {
    const live = nock(LIVE_HOST).post(OP('InitPayment')).reply(200, { PaymentID: PAYMENT_ID, ResponseCode: 1 });
    const liveResult = await ameriabankProvider.createSession(
      makeCtx({ mode: 'live' }),
      input({ attempt: makeAttempt({ providerOrderNo: '5' }) }),
    );
    live.done();
    expect(liveResult.redirect.url.startsWith(`${LIVE_HOST}/VPOS/Payments/Pay?`)).to.equal(true);

    const local = nock('http://127.0.0.1:4011').post('/VPOS/api/VPOS/InitPayment').reply(200, { PaymentID: PAYMENT_ID, ResponseCode: 1 });
    const localResult = await ameriabankProvider.createSession(
      makeCtx({ outbound: { operatorHosts: [{ host: '127.0.0.1' }] }, baseUrl: 'http://127.0.0.1:4011/VPOS' }),
      input(),
    );
    local.done();
    expect(localResult.redirect.url).to.equal(`http://127.0.0.1:4011/VPOS/Payments/Pay?id=${PAYMENT_ID}&lang=am`);
  });

  it('reports bad credentials (HTTP 200 + ResponseCode 20) as ameriabank_auth_failed', async () => {
    nock(TEST_HOST)
      .post(OP('InitPayment'))
      .reply(200, { PaymentID: '', ResponseCode: 20, ResponseMessage: 'Invalid username or password' });
    const err = await rejection(ameriabankProvider.createSession(makeCtx(), input()));
    expect(err.code).to.equal('ameriabank_auth_failed');
    expect(err.message).to.match(/username, password or ClientID/);
    expect(err.message).to.not.contain(credentials.password);
  });

  it('does not treat ResponseCode 1 with an empty PaymentID as a session', async () => {
    nock(TEST_HOST).post(OP('InitPayment')).reply(200, { PaymentID: '', ResponseCode: 1, ResponseMessage: 'OK' });
    expect((await rejection(ameriabankProvider.createSession(makeCtx(), input()))).code).to.equal('ameriabank_bad_response');
  });

  it('does not mistake "01" (order already exists) for success 1', async () => {
    nock(TEST_HOST)
      .post(OP('InitPayment'))
      .reply(200, { PaymentID: PAYMENT_ID, ResponseCode: '01', ResponseMessage: 'Order already exists' });
    expect((await rejection(ameriabankProvider.createSession(makeCtx(), input()))).code).to.equal('ameriabank_duplicate_order');
  });

  it("explains the sandbox's 10 AMD rule when InitPayment answers 560", async () => {
    nock(TEST_HOST).post(OP('InitPayment')).reply(200, { PaymentID: '', ResponseCode: 560, ResponseMessage: 'Payment amount is invalid' });
    const err = await rejection(ameriabankProvider.createSession(makeCtx(), input({ attempt: makeAttempt({ amountMinor: 500_00 }) })));
    expect(err.code).to.equal('ameriabank_init_failed');
    expect(err.message).to.match(/only 10 AMD/);
  });

  it('turns HTTP 500 {"Message":"An error has occurred."} into a ProviderError after exactly one request, the body for the log only', async () => {
    let calls = 0;
    nock(TEST_HOST)
      .post(OP('InitPayment'))
      .times(3)
      .reply(() => {
        calls += 1;
        return [500, { Message: 'An error has occurred.' }];
      });
    const err = await rejection(ameriabankProvider.createSession(makeCtx(), input()));
    expect(err.code).to.equal('ameriabank_server_error');
    expect(err.message).not.to.contain('An error has occurred.');
    expect(err.providerSaid).to.equal('{"Message":"An error has occurred."}');
    expect(calls).to.equal(1);
  });

  it('reports a timeout as ProviderTimeoutError without retrying (a retry could overwrite the order)', async () => {
    let calls = 0;
    nock(TEST_HOST)
      .post(OP('InitPayment'))
      .times(3)
      .delay(300)
      .reply(() => {
        calls += 1;
        return [200, { PaymentID: PAYMENT_ID, ResponseCode: 1 }];
      });
    const ctx = makeCtx({ http: createAxiosHttpClient({ defaultTimeoutMs: 50 }) });
    const err = await rejection(ameriabankProvider.createSession(ctx, input()));
    expect(err).to.be.instanceOf(ProviderTimeoutError);
    expect(calls).to.equal(1);
  });

  it('refuses a providerOrderNo that is not an integer before calling the bank', async () => {
    const err = await rejection(
      ameriabankProvider.createSession(makeCtx(), input({ attempt: makeAttempt({ providerOrderNo: 'drl123' }) })),
    );
    expect(err.code).to.equal('ameriabank_bad_order_id');
  });
});
