import { expect } from 'chai';
import { arcaProvider } from '../../../../server/providers/arca/index.ts';
import { type ProviderError } from '../../../../server/providers/errors.ts';
import { makeAttempt, makeCtx } from './fixtures.ts';

describe('arca refund and cancel need the gateway orderId', () => {
  it('refuses refund and reverse without a gateway orderId', async () => {
    for (const call of [
      () => arcaProvider.refund(makeCtx(), makeAttempt({ providerPaymentId: null }), 100, { refundId: 'rf_6' }),
      () => arcaProvider.cancel(makeCtx(), makeAttempt({ providerPaymentId: undefined })),
    ]) {
      try {
        await call();
        expect.fail('expected a rejection');
      } catch (err) {
        expect((err as ProviderError).code).to.equal('arca_no_order_id');
      }
    }
  });
});
