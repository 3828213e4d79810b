import { expect } from 'chai';
import { idramProvider } from '../../../../server/providers/idram/index.ts';
import { InboundRejectedError } from '../../../../server/providers/errors.ts';
import type { InboundRequest } from '../../../../server/providers/provider.ts';
import { REC_ACCOUNT, confirmation, formPost, idramCtx } from './fixtures.ts';
import { readInbound } from '../../../../server/webhooks/read-inbound.ts';

function rejection(req: InboundRequest): InboundRejectedError {
  try {
    readInbound(idramProvider, idramCtx(), req);
  } catch (err) {
    expect(err).to.be.instanceOf(InboundRejectedError);
    return err as InboundRejectedError;
  }
  return expect.fail('the request should have been rejected');
}

describe('idram parseInbound', () => {
  describe('precheck', () => {
    const precheck = { EDP_PRECHECK: 'YES', EDP_BILL_NO: '42', EDP_REC_ACCOUNT: REC_ACCOUNT, EDP_AMOUNT: '1900' };

    it('is an unauthenticated pending claim for the bill and amount', () => {
      const parsed = readInbound(idramProvider, idramCtx(), formPost(precheck));
      expect(parsed).to.deep.equal({
        kind: 'precheck',
        authenticated: false,
        dedupeKey: 'idram:precheck:42:190000',
        ref: { providerOrderNo: '42' },
        fact: { status: 'pending', amountMinor: 190000, currency: 'AMD', providerOrderNo: '42', rawStatus: 'precheck' },
      });
    });

    it('dedupes "1900" and "1900.00" for the same bill as one question', () => {
      const a = readInbound(idramProvider, idramCtx(), formPost(precheck));
      const b = readInbound(idramProvider, idramCtx(), formPost({ ...precheck, EDP_AMOUNT: '1900.00' }));
      expect(a.dedupeKey).to.equal(b.dedupeKey);
    });

    it('rejects a precheck without an amount with 400 naming the field', () => {
      const { EDP_AMOUNT: _omit, ...rest } = precheck;
      const err = rejection(formPost(rest));
      expect([err.status, err.code]).to.deep.equal([400, 'idram_missing_fields']);
      expect(err.message).to.contain('EDP_AMOUNT');
    });

    it('accepts the same fields as a GET query', () => {
      const parsed = readInbound(idramProvider, idramCtx(), {
        method: 'GET',
        query: precheck,
        headers: {},
        rawBody: Buffer.alloc(0),
        receivedAt: 0,
      });
      expect(parsed.kind).to.equal('precheck');
    });
  });

  describe('confirmation', () => {
    it('verifies the MD5 checksum and reports an authenticated paid fact in minor units', () => {
      const parsed = readInbound(idramProvider, idramCtx(), formPost(confirmation()));
      expect(parsed.kind).to.equal('notification');
      expect(parsed.authenticated).to.equal(true);
      expect(parsed.dedupeKey).to.equal('idram:confirm:00000123456789');
      expect(parsed.ref).to.deep.equal({ providerOrderNo: '42', providerPaymentId: '00000123456789' });
      expect(parsed.fact).to.include({
        status: 'paid',
        amountMinor: 190000,
        currency: 'AMD',
        providerPaymentId: '00000123456789',
        providerOrderNo: '42',
      });
    });

    it('rejects a confirmation missing signed fields with 400', () => {
      const { EDP_TRANS_DATE: _omit, ...rest } = confirmation();
      const err = rejection(formPost(rest));
      expect([err.status, err.code]).to.deep.equal([400, 'idram_missing_fields']);
      expect(err.message).to.contain('EDP_TRANS_DATE');
    });

    it('does not let a query-string value shadow the posted (signed) field', () => {
      const req = formPost(confirmation());
      req.query = { EDP_AMOUNT: '1.00' };
      expect(readInbound(idramProvider, idramCtx(), req).fact?.amountMinor).to.equal(190000);
    });
  });

  it('treats a bare browser GET (SUCCESS_URL/FAIL_URL) as an unauthenticated return', () => {
    const parsed = readInbound(idramProvider, idramCtx(), {
      method: 'GET',
      query: { EDP_BILL_NO: '42' },
      headers: {},
      rawBody: Buffer.alloc(0),
      receivedAt: 5,
    });
    expect(parsed).to.deep.equal({ kind: 'return', authenticated: false, dedupeKey: 'idram:return:42', ref: { providerOrderNo: '42' } });
  });
});
