import type { PaymentStatus } from './status.ts';

/** The seven values a manager sees in the lead field and the panel (docs/architecture.md, Domain). */
export const CRM_STATUSES = [
  'awaiting_payment',
  'paid',
  'payment_failed',
  'expired',
  'manual_review',
  'partial_refund',
  'full_refund',
] as const;
export type CrmStatus = (typeof CRM_STATUSES)[number];

export interface CrmStatusInput {
  status: PaymentStatus;
  needsReview: boolean;
}

/** One pure mapping from payment state to CRM status; review wins over everything else. */
export function crmStatusOf(p: CrmStatusInput): CrmStatus {
  if (p.needsReview) return 'manual_review';
  switch (p.status) {
    case 'awaiting':
      return 'awaiting_payment';
    case 'paid':
      return 'paid';
    case 'failed':
      return 'payment_failed';
    case 'expired':
    case 'cancelled':
      return 'expired';
    case 'partially_refunded':
      return 'partial_refund';
    case 'refunded':
      return 'full_refund';
  }
}

/**
 * A lead may have several payments (a deposit and a remainder, a new link after expiry).
 * The lead shows manual review if any payment needs a person, otherwise the newest payment's status.
 * `payments` must be ordered newest first. A lead with no payment has no CRM status.
 */
export function leadCrmStatusOf(payments: readonly CrmStatusInput[]): CrmStatus | null {
  if (payments.length === 0) return null;
  if (payments.some((p) => p.needsReview)) return 'manual_review';
  return crmStatusOf(payments[0]);
}
