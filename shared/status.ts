/**
 * The status vocabulary of payments and attempts (docs/architecture.md, Status rules), shared by the
 * server and the widget. The rules that move between them are the server's: server/payments/rules/.
 */
/**
 * `authorized`: a two-stage provider holds the customer's funds; nothing is taken until the capture
 * (docs/architecture.md, Hold and capture). A hold never counts as paid.
 */
export const ATTEMPT_STATUSES = ['created', 'pending', 'authorized', 'paid', 'failed', 'expired', 'cancelled'] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

/** An attempt the provider may still move: queried by the reconciler, verified on a return. */
export const OPEN_ATTEMPT_STATUSES = ['created', 'pending', 'authorized'] as const satisfies readonly AttemptStatus[];

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
  /** A two-stage hold could not be captured (refused, or still held after a capture that timed out). */
  'capture_failed',
  /** Funds held on a cancelled or already paid payment could not be released. */
  'void_failed',
] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];
