import { expect } from 'chai';
import { callbackChecksum, checkBillChecksum, postInvoiceSecurityCode } from '../../../../server/providers/telcell/checksum.ts';
import { telcellCredentialsSchema } from '../../../../server/providers/telcell/credentials.ts';
import { SHOP_KEY, invoiceBuyerCallback, invoiceCallback, md5 } from './fixtures.ts';

describe('telcell checksums', () => {
  it("computes the 'invoice' RESULT_URL formula as the hand-written fixture does", () => {
    const cb = invoiceCallback();
    expect(callbackChecksum('invoice', SHOP_KEY, cb)).to.equal(cb.checksum);
  });

  it("computes the 'invoice_buyer' formula (invoice_id and buyer) as the hand-written fixture does", () => {
    const cb = invoiceBuyerCallback();
    expect(callbackChecksum('invoice_buyer', SHOP_KEY, cb)).to.equal(cb.checksum);
  });

  it('signs check_bill as MD5(shop_key + shop_id + invoice)', () => {
    expect(checkBillChecksum('key', 'shop', '123')).to.equal(md5('keyshop123'));
  });

  it('signs PostInvoice over exactly the documented concatenation: shop_key, issuer, currency, price, product, issuer_id, valid_days', () => {
    const f = { issuer: 'i', currency: '֏', price: '10', product: 'cA==', issuer_id: 'aWQ=', valid_days: '1' };
    expect(postInvoiceSecurityCode('k', f)).to.equal(md5('ki֏10cA==aWQ=1'));
  });

  it('accepts only the two documented callback formulas in the credentials', () => {
    expect(telcellCredentialsSchema.safeParse({ shopId: 's', shopKey: 'k' }).success).to.equal(true);
    expect(telcellCredentialsSchema.safeParse({ shopId: 's', shopKey: 'k', callbackChecksum: 'invoice_buyer' }).success).to.equal(true);
    expect(telcellCredentialsSchema.safeParse({ shopId: 's', shopKey: 'k', callbackChecksum: 'sha256' }).success).to.equal(false);
    expect(telcellCredentialsSchema.safeParse({ shopId: 's', shopKey: 'k', shop_key: 'k' }).success).to.equal(false);
  });
});
