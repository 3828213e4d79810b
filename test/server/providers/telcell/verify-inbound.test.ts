import { expect } from 'chai';
import { InboundRejectedError } from '../../../../server/providers/errors.ts';
import type { InboundRequest, ProviderContext } from '../../../../server/providers/provider.ts';
import type { TelcellCredentials } from '../../../../server/providers/telcell/credentials.ts';
import { telcellProvider } from '../../../../server/providers/telcell/index.ts';
import { SHOP_ID, SHOP_KEY, invoiceBuyerCallback, invoiceCallback, post, telcellCtx } from './fixtures.ts';

function rejection(req: InboundRequest, ctx: ProviderContext<TelcellCredentials> = telcellCtx()): InboundRejectedError {
  try {
    telcellProvider.verifyInbound(ctx, req);
  } catch (err) {
    expect(err).to.be.instanceOf(InboundRejectedError);
    return err as InboundRejectedError;
  }
  return expect.fail('verifyInbound should have rejected the request');
}

const buyerCtx = () => telcellCtx({ credentials: { shopId: SHOP_ID, shopKey: SHOP_KEY, callbackChecksum: 'invoice_buyer' } });

describe('telcell verifyInbound (RESULT_URL checksum)', () => {
  describe("'invoice' formula (default)", () => {
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

  describe("'invoice_buyer' formula", () => {
    it('rejects a tampered buyer with 401', () => {
      expect(rejection(post({ ...invoiceBuyerCallback(), buyer: '37400000000' }), buyerCtx()).status).to.equal(401);
    });

    it("rejects an 'invoice'-formula callback with a hint to switch back", () => {
      const err = rejection(post(invoiceCallback()), buyerCtx());
      expect(err.message).to.contain("set callbackChecksum to 'invoice'");
    });
  });
});
