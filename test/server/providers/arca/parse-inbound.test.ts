import { expect } from 'chai';
import { arcaChecksum } from '../../../../server/providers/arca/checksum.ts';
import { arcaProvider } from '../../../../server/providers/arca/index.ts';
import { InboundRejectedError } from '../../../../server/providers/errors.ts';
import { credentials, inbound, makeCtx, MD_ORDER, ORDER_NO } from './fixtures.ts';
import { readInbound } from '../../../../server/webhooks/read-inbound.ts';

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
  const signed = (params: Record<string, string>) => ({ ...params, checksum: arcaChecksum(params, KEY) });

  it('maps each operation of an authenticated callback', () => {
    const cases: Array<[string, string, string | undefined]> = [
      // An authorization alone says nothing on a one-stage setup: the status query that follows decides.
      ['approved', '1', undefined],
      ['approved', '0', 'failed'],
      ['deposited', '1', 'paid'],
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
      const parsed = readInbound(arcaProvider, signedCtx(), inbound('GET', signed(params)));
      expect(parsed.fact?.status, `${operation}/${status}`).to.equal(expected);
    }
  });

  it('reads an approved callback as a hold (authorized, with the amount) when two-stage is on, never as paid', () => {
    const params = { mdOrder: MD_ORDER, orderNumber: ORDER_NO, operation: 'approved', status: '1', amount: '150000' };
    const ctx = makeCtx({ credentials: { ...credentials, checksumKey: KEY, twoStage: true, captureMode: 'manual' } });
    const fact = readInbound(arcaProvider, ctx, inbound('GET', signed(params))).fact;
    expect(fact).to.include({ status: 'authorized', amountMinor: 150000, captureMode: 'manual' });
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
    const fact = readInbound(arcaProvider, signedCtx(), inbound('GET', signed(params))).fact;
    expect(fact?.amountMinor).to.equal(undefined);
    expect(fact?.refundedTotalMinor).to.equal(undefined);
  });

  it('keeps two partial refunds apart while duplicates of one callback share a dedupe key', () => {
    const first = { mdOrder: MD_ORDER, orderNumber: ORDER_NO, operation: 'refunded', status: '1', operationRefundedAmount: '50000' };
    const second = { ...first, operationRefundedAmount: '20000' };
    const a = readInbound(arcaProvider, signedCtx(), inbound('GET', signed(first))).dedupeKey;
    const again = readInbound(arcaProvider, signedCtx(), inbound('POST', {}, new URLSearchParams(signed(first)).toString())).dedupeKey;
    const b = readInbound(arcaProvider, signedCtx(), inbound('GET', signed(second))).dedupeKey;
    expect(a).to.equal(again);
    expect(a).to.not.equal(b);
  });

  it('rejects a callback without mdOrder or with a status other than 0/1', () => {
    expect(rejected(() => readInbound(arcaProvider, makeCtx(), inbound('GET', { operation: 'deposited', status: '1' }))).code).to.equal(
      'arca_callback_incomplete',
    );
    expect(
      rejected(() => readInbound(arcaProvider, makeCtx(), inbound('GET', { mdOrder: MD_ORDER, operation: 'deposited', status: 'ok' })))
        .status,
    ).to.equal(400);
  });

  it('reads the browser return (?orderId=…, no operation) as an unauthenticated return even with a key configured', () => {
    const parsed = readInbound(arcaProvider, signedCtx(), inbound('GET', { orderId: MD_ORDER, lang: 'hy', failed: '1' }));
    expect(parsed).to.deep.equal({
      kind: 'return',
      authenticated: false,
      dedupeKey: `arca:return:${MD_ORDER}`,
      ref: { providerPaymentId: MD_ORDER },
    });
  });

  it('rejects a request that is neither a callback nor a return', () => {
    expect(rejected(() => readInbound(arcaProvider, makeCtx(), inbound('GET', { foo: 'bar' }))).code).to.equal('arca_inbound_unrecognized');
  });
});
