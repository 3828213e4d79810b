import { expect } from 'chai';
import { ameriabankProvider } from '../../../../server/providers/ameriabank/index.ts';
import { InboundRejectedError } from '../../../../server/providers/errors.ts';
import { inbound, makeCtx, PAYMENT_ID } from './fixtures.ts';
import { readInbound } from '../../../../server/webhooks/read-inbound.ts';

describe('ameriabank parseInbound (BackURL return)', () => {
  const lower = PAYMENT_ID.toLowerCase();

  it("reads the bank's misspelled resposneCode and never marks the unsigned return authenticated", () => {
    const parsed = readInbound(
      ameriabankProvider,
      makeCtx(),
      inbound('GET', {
        orderID: '2923001',
        resposneCode: '00',
        paymentID: lower,
        opaque: 'att_01HZY3',
        description: 'Operation Approved ',
      }),
    );
    expect(parsed).to.deep.equal({
      kind: 'return',
      authenticated: false,
      dedupeKey: `ameriabank:return:${lower}:00`,
      ref: { providerOrderNo: '2923001', providerPaymentId: lower },
    });
    expect(parsed.fact).to.equal(undefined);
  });

  it('also accepts the correct spelling responseCode', () => {
    const parsed = readInbound(
      ameriabankProvider,
      makeCtx(),
      inbound('GET', { orderID: '2923001', responseCode: '0116', paymentID: lower }),
    );
    expect(parsed.dedupeKey).to.equal(`ameriabank:return:${lower}:0116`);
  });

  it('gives the uppercase and lowercase PaymentID of one return the same dedupe key', () => {
    const a = readInbound(ameriabankProvider, makeCtx(), inbound('GET', { orderID: '2923001', resposneCode: '00', paymentID: PAYMENT_ID }));
    const b = readInbound(ameriabankProvider, makeCtx(), inbound('GET', { orderID: '2923001', resposneCode: '00', paymentID: lower }));
    expect(a.dedupeKey).to.equal(b.dedupeKey);
  });

  it('reads a POSTed form the same way, still unauthenticated', () => {
    const parsed = readInbound(ameriabankProvider, makeCtx(), inbound('POST', {}, `orderID=2923001&resposneCode=00&paymentID=${lower}`));
    expect(parsed.authenticated).to.equal(false);
    expect(parsed.ref).to.deep.equal({ providerOrderNo: '2923001', providerPaymentId: lower });
  });

  it('rejects a return without paymentID or orderID with 400', () => {
    const queries: Array<Record<string, string>> = [{ orderID: '2923001' }, { paymentID: lower }, { paymentID: '', orderID: '' }];
    for (const query of queries) {
      try {
        readInbound(ameriabankProvider, makeCtx(), inbound('GET', query));
        expect.fail('expected a rejection');
      } catch (err) {
        expect(err).to.be.instanceOf(InboundRejectedError);
        expect((err as InboundRejectedError).status).to.equal(400);
      }
    }
  });

  it('rejects ids that could smuggle text into keys and queries', () => {
    try {
      readInbound(ameriabankProvider, makeCtx(), inbound('GET', { orderID: '1 OR 1=1', paymentID: lower }));
      expect.fail('expected a rejection');
    } catch (err) {
      expect((err as InboundRejectedError).code).to.equal('ameriabank_return_malformed');
    }
  });
});
