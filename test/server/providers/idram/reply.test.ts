import { expect } from 'chai';
import { idramProvider } from '../../../../server/providers/idram/index.ts';

describe('idram replyFor', () => {
  it('accepts with HTTP 200 and exactly "OK" as text/plain', () => {
    const reply = idramProvider.replyFor({ kind: 'accepted' });
    expect(reply.status).to.equal(200);
    expect(reply.body).to.equal('OK');
    expect(reply.contentType).to.match(/^text\/plain/);
  });

  it('answers every rejection with HTTP 200 (a non-2xx would make Idram keep the payment)', () => {
    for (const status of [400, 401, 404, 409, 500]) {
      const reply = idramProvider.replyFor({ kind: 'rejected', status, code: 'x', reason: 'no' });
      expect(reply.status).to.equal(200);
      expect(reply.body).to.not.equal('OK');
    }
  });

  it('never lets a rejection read as OK, even if the reason text is "OK"', () => {
    const reply = idramProvider.replyFor({ kind: 'rejected', status: 409, code: '', reason: 'OK' });
    expect(reply.body.trim().toUpperCase()).to.not.equal('OK');
    expect(reply.body).to.not.match(/^\s*ok\s*$/i);
  });

  it('keeps the reason short and on one line', () => {
    const reply = idramProvider.replyFor({
      kind: 'rejected',
      status: 404,
      code: 'unknown_bill',
      reason: `line1\nline2 ${'x'.repeat(500)}`,
    });
    expect(reply.body).to.not.contain('\n');
    expect(reply.body.length).to.be.at.most(200);
    expect(reply.body).to.match(/^unknown_bill: line1 line2/);
  });
});
