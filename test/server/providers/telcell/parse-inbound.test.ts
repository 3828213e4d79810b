import { expect } from 'chai';
import { telcellProvider } from '../../../../server/providers/telcell/index.ts';
import { SHOP_ID, SHOP_KEY, b64, get, invoiceBuyerCallback, invoiceCallback, post, telcellCtx } from './fixtures.ts';
import { readInbound } from '../../../../server/webhooks/read-inbound.ts';

const buyerCtx = () => telcellCtx({ credentials: { shopId: SHOP_ID, shopKey: SHOP_KEY, callbackChecksum: 'invoice_buyer' } });

describe('telcell parseInbound', () => {
  describe("RESULT_URL, 'invoice' formula (default)", () => {
    it('verifies the checksum and maps PAID to an authenticated paid fact keyed by the invoice', () => {
      const parsed = readInbound(telcellProvider, telcellCtx(), post(invoiceCallback()));
      expect(parsed.kind).to.equal('notification');
      expect(parsed.authenticated).to.equal(true);
      expect(parsed.dedupeKey).to.equal('telcell:7781234:PAID');
      expect(parsed.ref).to.deep.equal({ providerOrderNo: 'att_01HXYZ', providerPaymentId: '7781234' });
      expect(parsed.fact).to.deep.equal({
        status: 'paid',
        amountMinor: 190000,
        currency: 'AMD',
        providerPaymentId: '7781234',
        providerOrderNo: 'att_01HXYZ',
        rawStatus: 'PAID',
        occurredAt: 1768471200000,
      });
    });

    it('accepts the same callback as a GET query with an upper-case checksum', () => {
      const q = invoiceCallback();
      q.checksum = q.checksum.toUpperCase();
      expect(readInbound(telcellProvider, telcellCtx(), get(q)).authenticated).to.equal(true);
    });

    it("restores a base64 '+' that arrived as a space in an unescaped query string", () => {
      // "att>>>" encodes to "YXR0Pj4+": the '+' turns into ' ' when a sender forgets to escape it.
      const q = invoiceCallback({ issuer_id: b64('att>>>') });
      expect(q.issuer_id).to.contain('+');
      const parsed = readInbound(telcellProvider, telcellCtx(), get({ ...q, issuer_id: q.issuer_id.replace(/\+/g, ' ') }));
      expect(parsed.ref.providerOrderNo).to.equal('att>>>');
    });

    for (const [status, expected] of [
      ['REJECTED', 'failed'],
      ['EXPIRED', 'expired'],
      ['CANCELED', 'cancelled'],
      ['CANCELED FOR REPEAT', 'cancelled'],
    ] as const) {
      it(`maps ${status} to ${expected}, never to paid`, () => {
        const parsed = readInbound(telcellProvider, telcellCtx(), post(invoiceCallback({ status })));
        expect(parsed.fact?.status).to.equal(expected);
        expect(parsed.dedupeKey).to.equal(`telcell:7781234:${status}`);
      });
    }
  });

  describe("RESULT_URL, 'invoice_buyer' formula", () => {
    it('verifies invoice_id + buyer and takes the invoice number from invoice_id', () => {
      const parsed = readInbound(telcellProvider, buyerCtx(), post(invoiceBuyerCallback()));
      expect(parsed.authenticated).to.equal(true);
      expect(parsed.fact).to.include({ status: 'paid', providerPaymentId: '7781234', amountMinor: 190000 });
      expect(parsed.dedupeKey).to.equal('telcell:7781234:PAID');
    });
  });

  describe('issuer_id decoding', () => {
    it('keeps a value that is not base64 of printable text as received (plain issuer_id)', () => {
      const parsed = readInbound(telcellProvider, telcellCtx(), post(invoiceCallback({ issuer_id: 'plain-order-17' })));
      expect(parsed.ref.providerOrderNo).to.equal('plain-order-17');
    });

    it('keeps a base64 value whose bytes are not printable UTF-8 as received', () => {
      const garbage = Buffer.from([0xff, 0x00, 0x9f]).toString('base64');
      const parsed = readInbound(telcellProvider, telcellCtx(), post(invoiceCallback({ issuer_id: garbage })));
      expect(parsed.ref.providerOrderNo).to.equal(garbage);
    });
  });

  it('treats the REDIRECT_URL browser return (issuer_id, no checksum) as unauthenticated', () => {
    const parsed = readInbound(telcellProvider, telcellCtx(), get({ issuer_id: b64('att_01HXYZ') }));
    expect(parsed).to.deep.equal({
      kind: 'return',
      authenticated: false,
      dedupeKey: 'telcell:return:att_01HXYZ',
      ref: { providerOrderNo: 'att_01HXYZ' },
    });
  });

  it('reads the return order from `order` too', () => {
    expect(readInbound(telcellProvider, telcellCtx(), get({ order: 'att_01HXYZ' })).ref).to.deep.equal({ providerOrderNo: 'att_01HXYZ' });
  });
});
