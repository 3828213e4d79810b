import { expect } from 'chai';
import { type ProviderError } from '../../../../server/providers/errors.ts';
import type { AttemptRef } from '../../../../server/providers/provider.ts';
import { telcellProvider } from '../../../../server/providers/telcell/index.ts';
import { telcellCtx } from './fixtures.ts';

const attempt = (providerPaymentId: string | null = '7781234'): AttemptRef => ({
  attemptId: 'att_01HXYZ',
  providerOrderNo: 'att_01HXYZ',
  providerPaymentId,
  amountMinor: 190000,
  currency: 'AMD',
});

describe('telcell provider roles', () => {
  it('has no refund or cancel API', async () => {
    const refund = await telcellProvider.refund(telcellCtx(), attempt(), 100, { refundId: 'r' }).catch((e: unknown) => e);
    const cancel = await telcellProvider.cancel(telcellCtx(), attempt()).catch((e: unknown) => e);
    expect((refund as ProviderError).code).to.equal('telcell_not_supported');
    expect((cancel as ProviderError).code).to.equal('telcell_not_supported');
  });
});
