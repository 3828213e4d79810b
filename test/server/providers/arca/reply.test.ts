import { expect } from 'chai';
import { arcaProvider } from '../../../../server/providers/arca/index.ts';

describe('arca replyFor', () => {
  it('replies 200 OK (the gateway retries anything else) and the rejection status otherwise', () => {
    expect(arcaProvider.replyFor({ kind: 'accepted' })).to.deep.equal({
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      body: 'OK',
    });
    expect(arcaProvider.replyFor({ kind: 'rejected', status: 401, code: 'arca_bad_checksum', reason: 'bad' }).status).to.equal(401);
  });
});
