import { ProviderError } from '../errors.ts';
import type { AttemptRef } from '../provider.ts';

/** Refund and reverse act on the gateway's orderId (mdOrder); without it there is nothing to act on. */
export function requireOrderId(attempt: AttemptRef, method: string): string {
  const id = attempt.providerPaymentId?.trim();
  if (!id) {
    throw new ProviderError(
      'arca',
      'arca_no_order_id',
      `${method}.do needs the gateway orderId of the attempt, which is not known; refresh the payment status first.`,
    );
  }
  return id;
}
