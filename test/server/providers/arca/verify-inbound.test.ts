import { expect } from 'chai';
import { arcaChecksum } from '../../../../server/providers/arca/checksum.ts';
import { arcaProvider } from '../../../../server/providers/arca/index.ts';
import { InboundRejectedError } from '../../../../server/providers/errors.ts';
import { credentials, inbound, makeCtx } from './fixtures.ts';
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

describe('arca verifyInbound (callback checksum)', () => {
  const vector = {
    mdOrder: '1234567890-098776-234-522',
    orderNumber: 'WC38-1752541000',
    operation: 'deposited',
    status: '1',
    amount: '100',
  };
  const signed = (params: Record<string, string>) => ({ ...params, checksum: arcaChecksum(params, KEY) });

  it('authenticates a known-good signed callback and states it paid with its amount', () => {
    const parsed = readInbound(
      arcaProvider,
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
    const parsed = readInbound(arcaProvider, signedCtx(), inbound('GET', { ...params, checksum: arcaChecksum(vector, KEY).toLowerCase() }));
    expect(parsed.authenticated).to.equal(true);
  });

  it('verifies a POSTed form callback the same way', () => {
    const body = new URLSearchParams(signed(vector)).toString();
    expect(readInbound(arcaProvider, signedCtx(), inbound('POST', {}, body)).authenticated).to.equal(true);
  });

  it('rejects a forged checksum with 401 arca_bad_checksum before anything parses it', () => {
    const forged = inbound('GET', { ...signed(vector), amount: '100000' });
    expect(rejected(() => arcaProvider.verifyInbound(signedCtx(), forged)).code).to.equal('arca_bad_checksum');
    const err = rejected(() => readInbound(arcaProvider, signedCtx(), forged));
    expect(err.status).to.equal(401);
    expect(err.code).to.equal('arca_bad_checksum');
  });

  it('rejects an unsigned callback when a checksumKey is configured (no downgrade to "unauthenticated")', () => {
    const err = rejected(() => readInbound(arcaProvider, signedCtx(), inbound('GET', vector)));
    expect(err.status).to.equal(401);
    expect(err.code).to.equal('arca_bad_checksum');
  });

  it('without a key: unauthenticated, and hands on no claimed fact', () => {
    const parsed = readInbound(arcaProvider, makeCtx(), inbound('GET', vector));
    expect(parsed.authenticated).to.equal(false);
    expect(parsed.fact).to.equal(undefined);
    expect(parsed.ref).to.deep.equal({ providerOrderNo: 'WC38-1752541000', providerPaymentId: '1234567890-098776-234-522' });
  });
});
