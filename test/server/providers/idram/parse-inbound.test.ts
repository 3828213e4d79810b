import { expect } from 'chai';
import { idramCredentialsSchema, idramProvider } from '../../../../server/providers/idram/index.ts';
import { InboundRejectedError, ProviderError } from '../../../../server/providers/errors.ts';
import type { InboundRequest } from '../../../../server/providers/provider.ts';
import { REC_ACCOUNT, confirmation, formPost, handChecksum, idramCtx } from './fixtures.ts';

function rejection(req: InboundRequest): InboundRejectedError {
  try {
    idramProvider.parseInbound(idramCtx(), req);
  } catch (err) {
    expect(err).to.be.instanceOf(InboundRejectedError);
    return err as InboundRejectedError;
  }
  return expect.fail('parseInbound should have rejected the request');
}

describe('idram parseInbound', () => {
  describe('precheck', () => {
    const precheck = { EDP_PRECHECK: 'YES', EDP_BILL_NO: '42', EDP_REC_ACCOUNT: REC_ACCOUNT, EDP_AMOUNT: '1900' };

    it('is an unauthenticated pending claim for the bill and amount', () => {
      const parsed = idramProvider.parseInbound(idramCtx(), formPost(precheck));
      expect(parsed).to.deep.equal({
        kind: 'precheck',
        authenticated: false,
        dedupeKey: 'idram:precheck:42:190000',
        ref: { providerOrderNo: '42' },
        fact: { status: 'pending', amountMinor: 190000, currency: 'AMD', providerOrderNo: '42', rawStatus: 'precheck' },
      });
    });

    it('dedupes "1900" and "1900.00" for the same bill as one question', () => {
      const a = idramProvider.parseInbound(idramCtx(), formPost(precheck));
      const b = idramProvider.parseInbound(idramCtx(), formPost({ ...precheck, EDP_AMOUNT: '1900.00' }));
      expect(a.dedupeKey).to.equal(b.dedupeKey);
    });

    it('rejects a precheck for another IdramID with 401', () => {
      const err = rejection(formPost({ ...precheck, EDP_REC_ACCOUNT: '110000602' }));
      expect([err.status, err.code]).to.deep.equal([401, 'idram_wrong_account']);
    });

    it('rejects a precheck without an amount with 400 naming the field', () => {
      const { EDP_AMOUNT: _omit, ...rest } = precheck;
      const err = rejection(formPost(rest));
      expect([err.status, err.code]).to.deep.equal([400, 'idram_missing_fields']);
      expect(err.message).to.contain('EDP_AMOUNT');
    });

    it('accepts the same fields as a GET query', () => {
      const parsed = idramProvider.parseInbound(idramCtx(), {
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
      const parsed = idramProvider.parseInbound(idramCtx(), formPost(confirmation()));
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

    it('accepts a lower-case checksum too', () => {
      const fields = confirmation();
      fields.EDP_CHECKSUM = fields.EDP_CHECKSUM.toLowerCase();
      expect(idramProvider.parseInbound(idramCtx(), formPost(fields)).authenticated).to.equal(true);
    });

    it('rejects a tampered amount with 401 idram_bad_checksum (the amount is signed as received)', () => {
      const err = rejection(formPost({ ...confirmation(), EDP_AMOUNT: '19.00' }));
      expect([err.status, err.code]).to.deep.equal([401, 'idram_bad_checksum']);
    });

    it('rejects a tampered transaction id with 401', () => {
      const err = rejection(formPost({ ...confirmation(), EDP_TRANS_ID: '00000000000001' }));
      expect([err.status, err.code]).to.deep.equal([401, 'idram_bad_checksum']);
    });

    it('rejects a checksum made with another secret key', () => {
      const fields = confirmation();
      fields.EDP_CHECKSUM = handChecksum(fields, 'not-our-secret');
      expect(rejection(formPost(fields)).code).to.equal('idram_bad_checksum');
    });

    it('rejects a confirmation without EDP_CHECKSUM with 401, not as a browser return', () => {
      const { EDP_CHECKSUM: _omit, ...unsigned } = confirmation();
      const err = rejection(formPost(unsigned));
      expect([err.status, err.code]).to.deep.equal([401, 'idram_bad_checksum']);
    });

    it('rejects a confirmation missing signed fields with 400', () => {
      const { EDP_TRANS_DATE: _omit, ...rest } = confirmation();
      const err = rejection(formPost(rest));
      expect([err.status, err.code]).to.deep.equal([400, 'idram_missing_fields']);
      expect(err.message).to.contain('EDP_TRANS_DATE');
    });

    it('rejects a confirmation for another IdramID even when signed', () => {
      const fields = confirmation({ EDP_REC_ACCOUNT: '110000602' });
      expect(rejection(formPost(fields)).code).to.equal('idram_wrong_account');
    });

    it('does not let a query-string value shadow the posted (signed) field', () => {
      const req = formPost(confirmation());
      req.query = { EDP_AMOUNT: '1.00' };
      expect(idramProvider.parseInbound(idramCtx(), req).fact?.amountMinor).to.equal(190000);
    });
  });

  it('treats a bare browser GET (SUCCESS_URL/FAIL_URL) as an unauthenticated return', () => {
    const parsed = idramProvider.parseInbound(idramCtx(), {
      method: 'GET',
      query: { EDP_BILL_NO: '42' },
      headers: {},
      rawBody: Buffer.alloc(0),
      receivedAt: 5,
    });
    expect(parsed).to.deep.equal({ kind: 'return', authenticated: false, dedupeKey: 'idram:return:42:5', ref: { providerOrderNo: '42' } });
  });

  it('has no status, refund or cancel API and says where refunds are done', async () => {
    const attempt = { attemptId: 'a', providerOrderNo: '42', amountMinor: 100, currency: 'AMD' as const };
    for (const call of [
      () => idramProvider.queryStatus(idramCtx(), attempt),
      () => idramProvider.refund(idramCtx(), attempt, 100, { refundId: 'r' }),
      () => idramProvider.cancel(idramCtx(), attempt),
    ]) {
      const err = await call().then(
        () => expect.fail('should reject'),
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(ProviderError);
      expect((err as ProviderError).code).to.equal('not_supported');
    }
    const refundErr = (await idramProvider.refund(idramCtx(), attempt, 100, { refundId: 'r' }).catch((e: unknown) => e)) as Error;
    expect(refundErr.message).to.contain('merchant cabinet');
  });

  it('validates credentials strictly and keeps secretKey secret', () => {
    expect(idramCredentialsSchema.safeParse({ recAccount: REC_ACCOUNT, secretKey: 's' }).success).to.equal(true);
    expect(idramCredentialsSchema.safeParse({ recAccount: REC_ACCOUNT, secretKey: 's', extra: 1 }).success).to.equal(false);
    expect(idramCredentialsSchema.safeParse({ recAccount: '', secretKey: 's' }).success).to.equal(false);
    expect([...idramProvider.secretFields]).to.deep.equal(['secretKey']);
  });
});
