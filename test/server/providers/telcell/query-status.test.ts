import { expect } from 'chai';
import nock from 'nock';
import { ProviderError, ProviderTimeoutError } from '../../../../server/providers/errors.ts';
import type { AttemptRef } from '../../../../server/providers/provider.ts';
import { telcellProvider } from '../../../../server/providers/telcell/index.ts';
import { SHOP_ID, SHOP_KEY, b64, md5, telcellCtx } from './fixtures.ts';

const attempt = (providerPaymentId: string | null = '7781234'): AttemptRef => ({
  attemptId: 'att_01HXYZ',
  providerOrderNo: 'att_01HXYZ',
  providerPaymentId,
  amountMinor: 190000,
  currency: 'AMD',
});

describe('telcell queryStatus (check_bill)', () => {
  afterEach(() => nock.cleanAll());

  it('posts check_bill:issuer, invoice and MD5(shop_key + shop_id + invoice), and maps PAID with the sum', async () => {
    let sent: Record<string, string> = {};
    const scope = nock('https://telcellmoney.am')
      .post('/invoices', (body: Record<string, string>) => {
        sent = body;
        return true;
      })
      .reply(200, `status=PAID\nsum=1900\ninvoice=7781234\nissuer_id=${b64('att_01HXYZ')}\n`);
    const fact = await telcellProvider.queryStatus(telcellCtx(), attempt());
    scope.done();
    expect(sent).to.deep.equal({ 'check_bill:issuer': SHOP_ID, invoice: '7781234', checksum: md5(`${SHOP_KEY}${SHOP_ID}7781234`) });
    expect(fact).to.deep.equal({
      status: 'paid',
      amountMinor: 190000,
      currency: 'AMD',
      providerPaymentId: '7781234',
      providerOrderNo: 'att_01HXYZ',
      rawStatus: 'PAID',
    });
  });

  for (const [raw, expected] of [
    ['REJECTED', 'failed'],
    ['EXPIRED', 'expired'],
    ['CANCELED', 'cancelled'],
    ['CANCELED FOR REPEAT', 'cancelled'],
  ] as const) {
    it(`maps check_bill status ${raw} to ${expected}`, async () => {
      nock('https://telcellmoney.am').post('/invoices').reply(200, `status=${raw}\r\n`);
      const fact = await telcellProvider.queryStatus(telcellCtx(), attempt());
      expect(fact.status).to.equal(expected);
      expect(fact.amountMinor).to.equal(undefined);
    });
  }

  it('is pending without a Telcell invoice number and calls nobody', async () => {
    const fact = await telcellProvider.queryStatus(telcellCtx(), attempt(null));
    expect(fact.status).to.equal('pending');
    expect(fact.rawStatus).to.contain('invoice number');
  });

  it('refuses an answer without a status line instead of guessing', async () => {
    nock('https://telcellmoney.am').post('/invoices').reply(200, 'ERROR');
    const err = await telcellProvider.queryStatus(telcellCtx(), attempt()).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ProviderError);
    expect((err as ProviderError).code).to.equal('telcell_bad_response');
  });

  it('reports an HTTP error as a provider error, never as a status', async () => {
    nock('https://telcellmoney.am').post('/invoices').reply(502, 'Bad Gateway');
    const err = await telcellProvider.queryStatus(telcellCtx(), attempt()).catch((e: unknown) => e);
    expect((err as ProviderError).code).to.equal('telcell_http_error');
  });

  it('turns a lost connection into ProviderTimeoutError (outcome unknown)', async () => {
    // An Error instance: nock 14 never emits a plain-object error, the request would just time out.
    nock('https://telcellmoney.am')
      .post('/invoices')
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const err = await telcellProvider.queryStatus(telcellCtx(), attempt()).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ProviderTimeoutError);
  });

  it('turns a refused connection into a ProviderError saying the request never left', async () => {
    nock('https://telcellmoney.am')
      .post('/invoices')
      .replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const err = await telcellProvider.queryStatus(telcellCtx(), attempt()).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ProviderError).and.not.instanceOf(ProviderTimeoutError);
    expect((err as ProviderError).code).to.equal('telcell_unreachable');
  });

  it('queries ctx.baseUrl when set', async () => {
    const scope = nock('http://127.0.0.1:4012').post('/invoices').reply(200, 'status=PAID\nsum=1900');
    await telcellProvider.queryStatus(
      telcellCtx({ outbound: { operatorHosts: [{ host: '127.0.0.1' }] }, baseUrl: 'http://127.0.0.1:4012' }),
      attempt(),
    );
    scope.done();
  });
});
