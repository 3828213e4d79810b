import { expect } from 'chai';
import nock from 'nock';
import { ProviderTimeoutError } from '../../../../server/providers/errors.ts';
import type { AttemptRef } from '../../../../server/providers/provider.ts';
import { sandboxApiKey } from '../../../../server/providers/sandbox/api-key.ts';
import { sandboxProvider } from '../../../../server/providers/sandbox/index.ts';
import { SECRET, sandboxCtx } from './fixtures.ts';

const BASE = 'https://pay.example.test';
const AUTH = `Bearer ${sandboxApiKey(SECRET, 31)}`;
const attempt: AttemptRef = {
  attemptId: 'att_1',
  providerOrderNo: 'sbx-4',
  providerPaymentId: 'ses_abc',
  amountMinor: 250000,
  currency: 'AMD',
};

describe('sandbox refund', () => {
  afterEach(() => nock.cleanAll());

  it('refunds with amountMinor and refundId and reports success', async () => {
    let sent: unknown;
    nock(BASE, { reqheaders: { authorization: AUTH } })
      .post('/sandbox/api/sessions/ses_abc/refunds', (b) => {
        sent = b;
        return true;
      })
      .reply(201, { refundId: 'rf_1', state: 'succeeded', amountMinor: 5000, refundedMinor: 5000 });
    expect(await sandboxProvider.refund(sandboxCtx(), attempt, 5000, { refundId: 'rf_1' })).to.deep.equal({
      state: 'succeeded',
      providerRefundId: 'rf_1',
    });
    expect(sent).to.deep.equal({ amountMinor: 5000, refundId: 'rf_1' });
  });

  it('reports a refused refund as failed with the gateway reason', async () => {
    nock(BASE)
      .post('/sandbox/api/sessions/ses_abc/refunds')
      .reply(422, { error: { code: 'sandbox_refund_exceeds', message: 'too much' } });
    expect(await sandboxProvider.refund(sandboxCtx(), attempt, 999999, { refundId: 'rf_2' })).to.deep.equal({
      state: 'failed',
      message: 'the sandbox gateway refused the refund (HTTP 422)',
      providerSaid: 'sandbox_refund_exceeds: too much',
    });
  });

  it('does not call a refund that timed out failed: ProviderTimeoutError, outcome unknown', async () => {
    nock(BASE)
      .post('/sandbox/api/sessions/ses_abc/refunds')
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const err = await sandboxProvider.refund(sandboxCtx(), attempt, 5000, { refundId: 'rf_3' }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ProviderTimeoutError);
  });
});
