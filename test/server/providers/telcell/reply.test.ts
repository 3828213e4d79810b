import { expect } from 'chai';
import { telcellProvider } from '../../../../server/providers/telcell/index.ts';

describe('telcell replyFor', () => {
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
