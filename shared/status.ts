/**
 * The status vocabulary of payments and attempts (docs/architecture.md, Status rules), shared by the
 * server and the widget. The rules that move between them are the server's: server/payments/rules/.
 */
export const ATTEMPT_STATUSES = ['created', 'pending', 'paid', 'failed', 'expired', 'cancelled'] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

export const PAYMENT_STATUSES = ['awaiting', 'paid', 'partially_refunded', 'refunded', 'failed', 'expired', 'cancelled'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** Statuses in which money was verified as taken; nothing may move a payment out of this set. */
export const MONEY_TAKEN: readonly PaymentStatus[] = ['paid', 'partially_refunded', 'refunded'];

export function isMoneyTaken(status: PaymentStatus): boolean {
  return MONEY_TAKEN.includes(status);
}

/** A payment can still be paid through its link. */
export function isPayable(status: PaymentStatus): boolean {
  return status === 'awaiting' || status === 'failed';
}

export const REVIEW_REASONS = [
  'amount_mismatch',
  'currency_mismatch',
  'paid_after_expiry',
  'paid_after_cancel',
  'double_payment',
  'refund_exceeds_paid',
  'refund_failed',
  'refund_unknown',
  'provider_unclear',
] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];
