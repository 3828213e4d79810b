import { expect } from 'chai';
import type { ProviderError } from '../../../../server/providers/errors.ts';
import type { AttemptRef } from '../../../../server/providers/provider.ts';
import { sandboxProvider } from '../../../../server/providers/sandbox/index.ts';
import { sandboxCtx } from './fixtures.ts';

const attempt: AttemptRef = {
  attemptId: 'att_1',
  providerOrderNo: 'sbx-4',
  providerPaymentId: 'ses_abc',
  amountMinor: 250000,
  currency: 'AMD',
};

describe('sandbox refund and cancel need a session', () => {
  it('refuses to refund or cancel an attempt that never got a session', async () => {
    const none = { ...attempt, providerPaymentId: null };
    const err = await sandboxProvider.refund(sandboxCtx(), none, 1, { refundId: 'r' }).catch((e: unknown) => e);
    expect((err as ProviderError).code).to.equal('sandbox_no_session');
    const cancelErr = await sandboxProvider.cancel(sandboxCtx(), none).catch((e: unknown) => e);
    expect((cancelErr as ProviderError).code).to.equal('sandbox_no_session');
  });
});
