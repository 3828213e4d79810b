import { expect } from 'chai';
import { idramProvider } from '../../../../server/providers/idram/index.ts';
import { ProviderError } from '../../../../server/providers/errors.ts';
import type { CreateSessionInput } from '../../../../server/providers/provider.ts';
import { REC_ACCOUNT, idramCtx } from './fixtures.ts';

function input(
  overrides: Partial<CreateSessionInput['attempt']> = {},
  language: CreateSessionInput['language'] = 'hy',
): CreateSessionInput {
  return {
    attempt: { attemptId: 'att_1', providerOrderNo: '42', amountMinor: 190000, currency: 'AMD', ...overrides },
    description: 'Order #42: հյութ',
    language,
    returnUrl: 'https://pay.example.test/pay/tok/return',
    failUrl: 'https://pay.example.test/pay/tok/return',
    notifyUrl: 'https://pay.example.test/webhooks/idram/7',
    ttlSec: 3600,
  };
}

describe('idram createSession', () => {
  it('renders the GetPayment form with major-unit amount, bill number and AM language, without any server call', async () => {
    const ctx = idramCtx();
    const result = await idramProvider.createSession(ctx, input());
    expect(result.redirect).to.deep.equal({
      method: 'POST',
      url: 'https://banking.idram.am/Payment/GetPayment',
      form: {
        EDP_LANGUAGE: 'AM',
        EDP_REC_ACCOUNT: REC_ACCOUNT,
        EDP_DESCRIPTION: 'Order #42: հյութ',
        EDP_AMOUNT: '1900',
        EDP_BILL_NO: '42',
      },
    });
    expect(result.providerPaymentId).to.equal(undefined);
    // Capped at the 20-minute session TTL even when the caller allows longer.
    expect(result.sessionExpiresAt).to.equal(ctx.clock.now() + 1200 * 1000);
  });

  it('keeps luma as a dot decimal instead of rounding (190050 → "1900.5")', async () => {
    const result = await idramProvider.createSession(idramCtx(), input({ amountMinor: 190050 }, 'en'));
    expect(result.redirect.method === 'POST' && result.redirect.form.EDP_AMOUNT).to.equal('1900.5');
    expect(result.redirect.method === 'POST' && result.redirect.form.EDP_LANGUAGE).to.equal('EN');
  });

  it('posts to ctx.baseUrl when set (tests, emulators)', async () => {
    const result = await idramProvider.createSession(idramCtx({ baseUrl: 'http://127.0.0.1:4011' }), input({}, 'ru'));
    expect(result.redirect.url).to.equal('http://127.0.0.1:4011/Payment/GetPayment');
  });

  it('refuses a non-AMD payment instead of charging the wrong currency', async () => {
    try {
      await idramProvider.createSession(idramCtx(), input({ currency: 'USD' }));
      expect.fail('should have thrown');
    } catch (err) {
      expect(err).to.be.instanceOf(ProviderError);
      expect((err as ProviderError).code).to.equal('idram_currency_not_supported');
    }
  });

  it('numbers bills with the ledger counter in plain digits', () => {
    expect(
      idramProvider.orderNo({ counter: 17, attemptId: 'att_x', mode: 'live', credentials: { recAccount: REC_ACCOUNT, secretKey: 's' } }),
    ).to.equal('17');
  });
});
