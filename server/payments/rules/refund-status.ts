import { isMoneyTaken, type PaymentStatus } from '../../../shared/status.ts';
import type { PaymentState } from './state.ts';

/** paid, partially_refunded or refunded, from the refunded total; other statuses stay as they are. */
export function refundStatus(p: PaymentState): PaymentStatus {
  if (!isMoneyTaken(p.status)) return p.status;
  if (p.refundedAmountMinor <= 0) return 'paid';
  return p.refundedAmountMinor >= (p.paidAmountMinor ?? p.amountMinor) ? 'refunded' : 'partially_refunded';
}

/** How much may still be refunded. */
export function refundableMinor(payment: PaymentState): number {
  if (!isMoneyTaken(payment.status)) return 0;
  return Math.max(0, (payment.paidAmountMinor ?? payment.amountMinor) - payment.refundedAmountMinor);
}
