import { ProviderError } from '../errors.ts';
import type { AttemptRef } from '../provider.ts';

/** Refund and cancel act on the PaymentID InitPayment gave us; without it there is nothing to act on. */
export function requirePaymentId(attempt: AttemptRef, operation: string): string {
  const id = attempt.providerPaymentId?.trim();
  if (!id) {
    throw new ProviderError(
      'ameriabank',
      'ameriabank_no_payment_id',
      `${operation} needs the attempt's PaymentID, which is not known; refresh the payment status first.`,
    );
  }
  return id;
}
