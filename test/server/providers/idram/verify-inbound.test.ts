import { expect } from 'chai';
import { idramProvider } from '../../../../server/providers/idram/index.ts';
import { InboundRejectedError } from '../../../../server/providers/errors.ts';
import type { InboundRequest } from '../../../../server/providers/provider.ts';
import { REC_ACCOUNT, confirmation, formPost, handChecksum, idramCtx } from './fixtures.ts';
import { readInbound } from '../../../../server/webhooks/read-inbound.ts';

function rejection(req: InboundRequest): InboundRejectedError {
  try {
    idramProvider.verifyInbound(idramCtx(), req);
  } catch (err) {
    expect(err).to.be.instanceOf(InboundRejectedError);
    return err as InboundRejectedError;
  }
  return expect.fail('verifyInbound should have rejected the request');
}

describe('idram verifyInbound', () => {
  const precheck = { EDP_PRECHECK: 'YES', EDP_BILL_NO: '42', EDP_REC_ACCOUNT: REC_ACCOUNT, EDP_AMOUNT: '1900' };

  it('rejects a precheck for another IdramID with 401', () => {
    const err = rejection(formPost({ ...precheck, EDP_REC_ACCOUNT: '110000602' }));
    expect([err.status, err.code]).to.deep.equal([401, 'idram_wrong_account']);
  });

  it('accepts a lower-case checksum too', () => {
    const fields = confirmation();
    fields.EDP_CHECKSUM = fields.EDP_CHECKSUM.toLowerCase();
    expect(readInbound(idramProvider, idramCtx(), formPost(fields)).authenticated).to.equal(true);
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

  it('rejects a confirmation for another IdramID even when signed', () => {
    const fields = confirmation({ EDP_REC_ACCOUNT: '110000602' });
    expect(rejection(formPost(fields)).code).to.equal('idram_wrong_account');
  });
});
