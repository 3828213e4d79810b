import { expect } from 'chai';
import { ameriabankProvider } from '../../../../server/providers/ameriabank/index.ts';

describe('ameriabank replyFor', () => {
  it('replies 200 OK when accepted and the rejection status with a short text otherwise', () => {
    expect(ameriabankProvider.replyFor({ kind: 'accepted' })).to.deep.equal({
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      body: 'OK',
    });
    const reply = ameriabankProvider.replyFor({
      kind: 'rejected',
      status: 400,
      code: 'ameriabank_return_incomplete',
      reason: 'no paymentID',
    });
    expect(reply.status).to.equal(400);
    expect(reply.body).to.equal('ameriabank_return_incomplete: no paymentID');
  });
});
