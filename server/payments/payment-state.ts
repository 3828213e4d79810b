import type { AttemptState, PaymentState } from '../../shared/transitions.ts';
import type { AttemptStatus, PaymentStatus, ReviewReason } from '../../shared/status.ts';
import type { attempts, payments } from '../db/schema.ts';

export type PaymentRow = typeof payments.$inferSelect;
export type AttemptRow = typeof attempts.$inferSelect;

/** Database row ↔ the pure state the rules in shared/transitions.ts work on. */
export function paymentStateOf(row: PaymentRow): PaymentState {
  return {
    status: row.status as PaymentStatus,
    amountMinor: row.amountMinor,
    currency: row.currency,
    expiresAt: row.expiresAt,
    paidAt: row.paidAt,
    paidAmountMinor: row.paidAmountMinor,
    paidAttemptId: row.paidAttemptId,
    providerRef: row.providerRef,
    refundedAmountMinor: row.refundedAmountMinor,
    reviewReason: row.reviewReason as ReviewReason | null,
    reviewSince: row.reviewSince,
  };
}

export function attemptStateOf(row: AttemptRow): AttemptState {
  return {
    id: row.id,
    status: row.status as AttemptStatus,
    amountMinor: row.amountMinor,
    currency: row.currency,
    providerOrderNo: row.providerOrderNo,
    providerPaymentId: row.providerPaymentId,
    rawStatus: row.rawStatus,
    seq: row.seq,
  };
}
