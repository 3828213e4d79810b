import { expect } from 'chai';
import { arcaChecksum, arcaProvider } from '../../../../server/providers/arca/index.ts';
import { InboundRejectedError } from '../../../../server/providers/errors.ts';
import { credentials, inbound, makeCtx, MD_ORDER, ORDER_NO } from './fixtures.ts';

const KEY = 'test-callback-token';
const signedCtx = () => makeCtx({ credentials: { ...credentials, checksumKey: KEY } });

function rejected(fn: () => unknown): InboundRejectedError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(InboundRejectedError);
    return err as InboundRejectedError;
  }
  throw new Error('expected a rejection');
}

describe('arca parseInbound', () => {
  const vector = {
    mdOrder: '1234567890-098776-234-522',
    orderNumber: 'WC38-1752541000',
    operation: 'deposited',
    status: '1',
    amount: '100',
  };
  const signed = (params: Record<string, string>) => ({ ...params, checksum: arcaChecksum(params, KEY) });

  it('authenticates the reference vector callback and states it paid with its amount', () => {
    const parsed = arcaProvider.parseInbound(
      signedCtx(),
      inbound('GET', { ...vector, checksum: '4371CB8535CEB8EB312B9498631113BBE32E822F29E640775928591E4FCC8DE2' }),
    );
    expect(parsed).to.deep.include({
      kind: 'notification',
      authenticated: true,
      dedupeKey: 'arca:1234567890-098776-234-522:deposited:1',
      ref: { providerOrderNo: 'WC38-1752541000', providerPaymentId: '1234567890-098776-234-522' },
    });
    expect(parsed.fact).to.include({ status: 'paid', amountMinor: 100, providerOrderNo: 'WC38-1752541000' });
    expect(parsed.fact?.currency).to.equal(undefined);
  });

  it('accepts a lowercase checksum and sign_alias next to it', () => {
    const params = { ...vector, sign_alias: 'alias1' };
    const parsed = arcaProvider.parseInbound(signedCtx(), inbound('GET', { ...params, checksum: arcaChecksum(vector, KEY).toLowerCase() }));
    expect(parsed.authenticated).to.equal(true);
  });

  it('verifies a POSTed form callback the same way', () => {
    const body = new URLSearchParams(signed(vector)).toString();
    expect(arcaProvider.parseInbound(signedCtx(), inbound('POST', {}, body)).authenticated).to.equal(true);
  });

  it('rejects a forged checksum with 401 arca_bad_checksum', () => {
    const err = rejected(() => arcaProvider.parseInbound(signedCtx(), inbound('GET', { ...signed(vector), amount: '100000' })));
    expect(err.status).to.equal(401);
    expect(err.code).to.equal('arca_bad_checksum');
  });

  it('rejects an unsigned callback when a checksumKey is configured (no downgrade to "unauthenticated")', () => {
    const err = rejected(() => arcaProvider.parseInbound(signedCtx(), inbound('GET', vector)));
    expect(err.status).to.equal(401);
    expect(err.code).to.equal('arca_bad_checksum');
  });

  it('without a key: unauthenticated, and hands on no claimed fact', () => {
    const parsed = arcaProvider.parseInbound(makeCtx(), inbound('GET', vector));
    expect(parsed.authenticated).to.equal(false);
    expect(parsed.fact).to.equal(undefined);
    expect(parsed.ref).to.deep.equal({ providerOrderNo: 'WC38-1752541000', providerPaymentId: '1234567890-098776-234-522' });
  });

  it('maps each operation of an authenticated callback', () => {
    const cases: Array<[string, string, string | undefined]> = [
      ['approved', '1', 'paid'],
      ['deposited', '0', 'failed'],
      ['declinedByTimeout', '1', 'failed'],
      ['declinedCardPresent', '1', 'failed'],
      ['reversed', '1', 'cancelled'],
      ['reversed', '0', 'unknown'],
      ['refunded', '1', 'paid'],
      ['bindingCreated', '1', undefined],
    ];
    for (const [operation, status, expected] of cases) {
      const params = { mdOrder: MD_ORDER, orderNumber: ORDER_NO, operation, status };
      const parsed = arcaProvider.parseInbound(signedCtx(), inbound('GET', signed(params)));
      expect(parsed.fact?.status, `${operation}/${status}`).to.equal(expected);
    }
  });

  it('leaves refund totals to the status query: a refund callback carries no amount or refundedTotalMinor', () => {
    const params = {
      mdOrder: MD_ORDER,
      orderNumber: ORDER_NO,
      operation: 'refunded',
      status: '1',
      amount: '150000',
      operationRefundedAmount: '50000',
    };
    const fact = arcaProvider.parseInbound(signedCtx(), inbound('GET', signed(params))).fact;
    expect(fact?.amountMinor).to.equal(undefined);
    expect(fact?.refundedTotalMinor).to.equal(undefined);
  });

  it('keeps two partial refunds apart while duplicates of one callback share a dedupe key', () => {
    const first = { mdOrder: MD_ORDER, orderNumber: ORDER_NO, operation: 'refunded', status: '1', operationRefundedAmount: '50000' };
    const second = { ...first, operationRefundedAmount: '20000' };
    const a = arcaProvider.parseInbound(signedCtx(), inbound('GET', signed(first))).dedupeKey;
    const again = arcaProvider.parseInbound(signedCtx(), inbound('POST', {}, new URLSearchParams(signed(first)).toString())).dedupeKey;
    const b = arcaProvider.parseInbound(signedCtx(), inbound('GET', signed(second))).dedupeKey;
    expect(a).to.equal(again);
    expect(a).to.not.equal(b);
  });

  it('rejects a callback without mdOrder or with a status other than 0/1', () => {
    expect(rejected(() => arcaProvider.parseInbound(makeCtx(), inbound('GET', { operation: 'deposited', status: '1' }))).code).to.equal(
      'arca_callback_incomplete',
    );
    expect(
      rejected(() => arcaProvider.parseInbound(makeCtx(), inbound('GET', { mdOrder: MD_ORDER, operation: 'deposited', status: 'ok' })))
        .status,
    ).to.equal(400);
  });

  it('reads the browser return (?orderId=…, no operation) as an unauthenticated return even with a key configured', () => {
    const parsed = arcaProvider.parseInbound(signedCtx(), inbound('GET', { orderId: MD_ORDER, lang: 'hy', failed: '1' }));
    expect(parsed).to.deep.equal({
      kind: 'return',
      authenticated: false,
      dedupeKey: `arca:return:${MD_ORDER}`,
      ref: { providerPaymentId: MD_ORDER },
    });
  });

  it('rejects a request that is neither a callback nor a return', () => {
    expect(rejected(() => arcaProvider.parseInbound(makeCtx(), inbound('GET', { foo: 'bar' }))).code).to.equal('arca_inbound_unrecognized');
  });

  it('replies 200 OK (the gateway retries anything else) and the rejection status otherwise', () => {
    expect(arcaProvider.replyFor({ kind: 'accepted' })).to.deep.equal({
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      body: 'OK',
    });
    expect(arcaProvider.replyFor({ kind: 'rejected', status: 401, code: 'arca_bad_checksum', reason: 'bad' }).status).to.equal(401);
  });
});
