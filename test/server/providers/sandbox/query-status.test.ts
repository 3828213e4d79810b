import { expect } from 'chai';
import nock from 'nock';
import { type ProviderError } from '../../../../server/providers/errors.ts';
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

describe('sandbox queryStatus', () => {
  afterEach(() => nock.cleanAll());

  it('maps the status API answer to a fact with order number, amount and refunded total', async () => {
    nock(BASE, { reqheaders: { authorization: AUTH } })
      .get('/sandbox/api/sessions/ses_abc')
      .reply(200, { sessionId: 'ses_abc', orderNo: 'sbx-4', status: 'paid', amountMinor: 250000, currency: 'AMD', refundedMinor: 5000 });
    expect(await sandboxProvider.queryStatus(sandboxCtx(), attempt)).to.deep.equal({
      status: 'paid',
      amountMinor: 250000,
      currency: 'AMD',
      refundedTotalMinor: 5000,
      providerPaymentId: 'ses_abc',
      providerOrderNo: 'sbx-4',
      rawStatus: 'paid',
    });
  });

  it('reports an unknown session as a provider error, not as failed', async () => {
    nock(BASE)
      .get('/sandbox/api/sessions/ses_abc')
      .reply(404, { error: { code: 'sandbox_session_not_found', message: 'x' } });
    const err = await sandboxProvider.queryStatus(sandboxCtx(), attempt).catch((e: unknown) => e);
    expect((err as ProviderError).code).to.equal('sandbox_session_not_found');
  });
});
