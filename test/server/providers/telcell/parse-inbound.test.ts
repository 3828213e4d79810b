import { expect } from 'chai';
import { InboundRejectedError } from '../../../../server/providers/errors.ts';
import type { InboundRequest, ProviderContext } from '../../../../server/providers/provider.ts';
import { telcellProvider, type TelcellCredentials } from '../../../../server/providers/telcell/index.ts';
import { SHOP_ID, SHOP_KEY, b64, get, invoiceBuyerCallback, invoiceCallback, post, telcellCtx } from './fixtures.ts';

function rejection(req: InboundRequest, ctx: ProviderContext<TelcellCredentials> = telcellCtx()): InboundRejectedError {
  try {
    telcellProvider.parseInbound(ctx, req);
  } catch (err) {
    expect(err).to.be.instanceOf(InboundRejectedError);
    return err as InboundRejectedError;
  }
  return expect.fail('parseInbound should have rejected the request');
}

const buyerCtx = () => telcellCtx({ credentials: { shopId: SHOP_ID, shopKey: SHOP_KEY, callbackChecksum: 'invoice_buyer' } });

describe('telcell parseInbound', () => {
  describe("RESULT_URL, 'invoice' formula (default)", () => {
    it('verifies the checksum and maps PAID to an authenticated paid fact keyed by the invoice', () => {
      const parsed = telcellProvider.parseInbound(telcellCtx(), post(invoiceCallback()));
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
      expect(telcellProvider.parseInbound(telcellCtx(), get(q)).authenticated).to.equal(true);
    });

    it("restores a base64 '+' that arrived as a space in an unescaped query string", () => {
      // "att>>>" encodes to "YXR0Pj4+": the '+' turns into ' ' when a sender forgets to escape it.
      const q = invoiceCallback({ issuer_id: b64('att>>>') });
      expect(q.issuer_id).to.contain('+');
      const parsed = telcellProvider.parseInbound(telcellCtx(), get({ ...q, issuer_id: q.issuer_id.replace(/\+/g, ' ') }));
      expect(parsed.ref.providerOrderNo).to.equal('att>>>');
    });

    for (const [status, expected] of [
      ['REJECTED', 'failed'],
      ['EXPIRED', 'expired'],
      ['CANCELED', 'cancelled'],
      ['CANCELED FOR REPEAT', 'cancelled'],
    ] as const) {
      it(`maps ${status} to ${expected}, never to paid`, () => {
        const parsed = telcellProvider.parseInbound(telcellCtx(), post(invoiceCallback({ status })));
        expect(parsed.fact?.status).to.equal(expected);
        expect(parsed.dedupeKey).to.equal(`telcell:7781234:${status}`);
      });
    }

    it('rejects a tampered sum with 401', () => {
      const err = rejection(post({ ...invoiceCallback(), sum: '19' }));
      expect([err.status, err.code]).to.deep.equal([401, 'telcell_bad_checksum']);
    });

    it('rejects a status flipped to PAID with 401', () => {
      const cb = invoiceCallback({ status: 'REJECTED' });
      expect(rejection(post({ ...cb, status: 'PAID' })).code).to.equal('telcell_bad_checksum');
    });

    it('rejects a callback without checksum with 401 instead of treating it as a return', () => {
      const { checksum: _omit, ...unsigned } = invoiceCallback();
      const err = rejection(post(unsigned));
      expect([err.status, err.code]).to.deep.equal([401, 'telcell_bad_checksum']);
    });

    it('rejects a callback missing signed fields with 400 naming them', () => {
      const { payment_id: _omit, ...rest } = invoiceCallback();
      const err = rejection(post(rest));
      expect([err.status, err.code]).to.deep.equal([400, 'telcell_missing_fields']);
      expect(err.message).to.contain('payment_id');
    });

    it("tells the operator to switch formulas when an 'invoice_buyer' callback arrives under 'invoice'", () => {
      const err = rejection(post(invoiceBuyerCallback()));
      expect(err.status).to.equal(400);
      expect(err.message).to.contain("set callbackChecksum to 'invoice_buyer'");
    });

    it('names the other formula when the checksum matches it instead of the configured one', () => {
      // Both shapes present, signed the invoice_buyer way: the configured 'invoice' formula fails.
      const cb = { ...invoiceBuyerCallback(), invoice: '7781234' };
      const err = rejection(post(cb));
      expect(err.status).to.equal(401);
      expect(err.message).to.contain("set callbackChecksum to 'invoice_buyer'");
    });
  });

  describe("RESULT_URL, 'invoice_buyer' formula", () => {
    it('verifies invoice_id + buyer and takes the invoice number from invoice_id', () => {
      const parsed = telcellProvider.parseInbound(buyerCtx(), post(invoiceBuyerCallback()));
      expect(parsed.authenticated).to.equal(true);
      expect(parsed.fact).to.include({ status: 'paid', providerPaymentId: '7781234', amountMinor: 190000 });
      expect(parsed.dedupeKey).to.equal('telcell:7781234:PAID');
    });

    it('rejects a tampered buyer with 401', () => {
      expect(rejection(post({ ...invoiceBuyerCallback(), buyer: '37400000000' }), buyerCtx()).status).to.equal(401);
    });

    it("rejects an 'invoice'-formula callback with a hint to switch back", () => {
      const err = rejection(post(invoiceCallback()), buyerCtx());
      expect(err.message).to.contain("set callbackChecksum to 'invoice'");
    });
  });

  describe('issuer_id decoding', () => {
    it('keeps a value that is not base64 of printable text as received (plain issuer_id)', () => {
      const parsed = telcellProvider.parseInbound(telcellCtx(), post(invoiceCallback({ issuer_id: 'plain-order-17' })));
      expect(parsed.ref.providerOrderNo).to.equal('plain-order-17');
    });

    it('keeps a base64 value whose bytes are not printable UTF-8 as received', () => {
      const garbage = Buffer.from([0xff, 0x00, 0x9f]).toString('base64');
      const parsed = telcellProvider.parseInbound(telcellCtx(), post(invoiceCallback({ issuer_id: garbage })));
      expect(parsed.ref.providerOrderNo).to.equal(garbage);
    });
  });

  it('treats the REDIRECT_URL browser return (issuer_id, no checksum) as unauthenticated', () => {
    const parsed = telcellProvider.parseInbound(telcellCtx(), get({ issuer_id: b64('att_01HXYZ') }));
    expect(parsed).to.deep.equal({
      kind: 'return',
      authenticated: false,
      dedupeKey: 'telcell:return:att_01HXYZ:11',
      ref: { providerOrderNo: 'att_01HXYZ' },
    });
  });

  it('reads the return order from `order` too', () => {
    expect(telcellProvider.parseInbound(telcellCtx(), get({ order: 'att_01HXYZ' })).ref).to.deep.equal({ providerOrderNo: 'att_01HXYZ' });
  });

  it('answers accepted with 200 OK text and keeps a rejection status', () => {
    expect(telcellProvider.replyFor({ kind: 'accepted' })).to.deep.equal({
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      body: 'OK',
    });
    const rejected = telcellProvider.replyFor({ kind: 'rejected', status: 401, code: 'telcell_bad_checksum', reason: 'no' });
    expect(rejected.status).to.equal(401);
    expect(rejected.body).to.not.equal('OK');
  });
});
