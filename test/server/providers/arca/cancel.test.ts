import { expect } from 'chai';
import nock from 'nock';
import { arcaProvider } from '../../../../server/providers/arca/index.ts';
import { type ProviderError } from '../../../../server/providers/errors.ts';
import { credentials, formOf, makeAttempt, makeCtx, MD_ORDER, METHOD, TEST_HOST } from './fixtures.ts';

describe('arca cancel (reverse.do)', () => {
  afterEach(() => nock.cleanAll());

  it('reverses by orderId: errorCode 0 succeeded, other codes failed', async () => {
    let sent: Record<string, string> = {};
    nock(TEST_HOST)
      .post(METHOD('reverse'), (b) => {
        sent = formOf(b);
        return true;
      })
      .reply(200, { errorCode: '0', errorMessage: 'Success' });
    expect((await arcaProvider.cancel(makeCtx(), makeAttempt())).state).to.equal('succeeded');
    expect(sent).to.deep.equal({ userName: credentials.userName, password: credentials.password, orderId: MD_ORDER });

    nock(TEST_HOST).post(METHOD('reverse')).reply(200, { errorCode: '7', errorMessage: 'Reversal is impossible' });
    const refused = await arcaProvider.cancel(makeCtx(), makeAttempt());
    expect(refused.state).to.equal('failed');
    expect(refused.message)
      .to.match(/errorCode 7/)
      .and.not.contain('Reversal is impossible');
    expect(refused.providerSaid).to.equal('Reversal is impossible');
  });

  it('does not claim a reversal failed when the answer is unreadable', async () => {
    nock(TEST_HOST).post(METHOD('reverse')).reply(502, '<html>Bad Gateway</html>');
    try {
      await arcaProvider.cancel(makeCtx(), makeAttempt());
      expect.fail('expected a rejection');
    } catch (err) {
      expect((err as ProviderError).code).to.equal('arca_outcome_unknown');
    }
  });
});
