import { expect } from 'chai';
import { idramProvider } from '../../../../server/providers/idram/index.ts';
import { ProviderError } from '../../../../server/providers/errors.ts';
import { idramCtx } from './fixtures.ts';

describe('idram provider roles', () => {
  it('has no status, refund or cancel API and says where refunds are done', async () => {
    const attempt = { attemptId: 'a', providerOrderNo: '42', amountMinor: 100, currency: 'AMD' as const };
    for (const call of [
      () => idramProvider.queryStatus(idramCtx(), attempt),
      () => idramProvider.refund(idramCtx(), attempt, 100, { refundId: 'r' }),
      () => idramProvider.cancel(idramCtx(), attempt),
    ]) {
      const err = await call().then(
        () => expect.fail('should reject'),
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(ProviderError);
      expect((err as ProviderError).code).to.equal('idram_not_supported');
    }
    const refundErr = (await idramProvider.refund(idramCtx(), attempt, 100, { refundId: 'r' }).catch((e: unknown) => e)) as Error;
    expect(refundErr.message).to.contain('merchant cabinet');
  });
});
