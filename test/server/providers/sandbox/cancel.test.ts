import { expect } from 'chai';
import nock from 'nock';
import type { AttemptRef } from '../../../../server/providers/provider.ts';
import { sandboxProvider } from '../../../../server/providers/sandbox/index.ts';
import { sandboxCtx } from './fixtures.ts';

const BASE = 'https://pay.example.test';
const attempt: AttemptRef = {
  attemptId: 'att_1',
  providerOrderNo: 'sbx-4',
  providerPaymentId: 'ses_abc',
  amountMinor: 250000,
  currency: 'AMD',
};

describe('sandbox cancel', () => {
  afterEach(() => nock.cleanAll());

  it('cancels, and reports a refusal for a paid session as failed', async () => {
    nock(BASE).post('/sandbox/api/sessions/ses_abc/cancel').reply(200, { sessionId: 'ses_abc', status: 'cancelled' });
    expect(await sandboxProvider.cancel(sandboxCtx(), attempt)).to.deep.equal({ state: 'succeeded' });
    nock(BASE)
      .post('/sandbox/api/sessions/ses_abc/cancel')
      .reply(409, { error: { code: 'sandbox_already_paid', message: 'refund it' } });
    expect(await sandboxProvider.cancel(sandboxCtx(), attempt)).to.deep.equal({
      state: 'failed',
      message: 'the sandbox gateway refused the cancel (HTTP 409)',
      providerSaid: 'sandbox_already_paid: refund it',
    });
  });
});
