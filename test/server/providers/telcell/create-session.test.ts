import { expect } from 'chai';
import { ProviderError } from '../../../../server/providers/errors.ts';
import type { CreateSessionInput } from '../../../../server/providers/provider.ts';
import { telcellProvider } from '../../../../server/providers/telcell/index.ts';
import { SHOP_ID, SHOP_KEY, b64, md5, telcellCtx } from './fixtures.ts';

function input(overrides: Partial<CreateSessionInput['attempt']> = {}): CreateSessionInput {
  return {
    attempt: { attemptId: 'att_01HXYZ', providerOrderNo: 'att_01HXYZ', amountMinor: 190000, currency: 'AMD', ...overrides },
    description: 'Պատվեր 42',
    language: 'hy',
    returnUrl: 'https://pay.example.test/pay/tok/return',
    failUrl: 'https://pay.example.test/pay/tok/return',
    notifyUrl: 'https://pay.example.test/webhooks/telcell/9',
    ttlSec: 1200,
  };
}

describe('telcell createSession (PostInvoice)', () => {
  it('builds the PostInvoice form with base64 product/issuer_id and the documented security_code', async () => {
    const ctx = telcellCtx();
    const result = await telcellProvider.createSession(ctx, input());
    const product = b64('Պատվեր 42');
    const issuerId = b64('att_01HXYZ');
    expect(result.redirect).to.deep.equal({
      method: 'POST',
      url: 'https://telcellmoney.am/invoices',
      form: {
        action: 'PostInvoice',
        issuer: SHOP_ID,
        currency: '֏',
        price: '1900',
        product,
        issuer_id: issuerId,
        valid_days: '1',
        lang: 'am',
        // shop_key + issuer + currency + price + product + issuer_id + valid_days, over the base64 values.
        security_code: md5(`${SHOP_KEY}${SHOP_ID}֏1900${product}${issuerId}1`),
      },
    });
    expect(result.sessionExpiresAt).to.equal(ctx.clock.now() + 86_400_000);
  });

  it('uses ctx.baseUrl as the origin of /invoices', async () => {
    const result = await telcellProvider.createSession(telcellCtx({ baseUrl: 'http://127.0.0.1:4012' }), input());
    expect(result.redirect.url).to.equal('http://127.0.0.1:4012/invoices');
  });

  it('refuses an amount with luma instead of rounding it away (Telcell takes whole drams)', async () => {
    const err = await telcellProvider.createSession(telcellCtx(), input({ amountMinor: 190050 })).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ProviderError);
    expect((err as ProviderError).code).to.equal('telcell_whole_drams_only');
    expect((err as ProviderError).message).to.contain('whole drams');
  });

  it('refuses a non-AMD payment', async () => {
    const err = await telcellProvider.createSession(telcellCtx(), input({ currency: 'EUR' })).catch((e: unknown) => e);
    expect((err as ProviderError).code).to.equal('telcell_currency_not_supported');
  });

  it('uses the attempt id as issuer_id, unique per attempt', () => {
    expect(
      telcellProvider.orderNo({ counter: 3, attemptId: 'att_01HXYZ', mode: 'live', credentials: { shopId: SHOP_ID, shopKey: SHOP_KEY } }),
    ).to.equal('att_01HXYZ');
  });
});
