import type { attempts, payments } from '../db/schema.ts';
import type { AttemptState, PaymentState } from './rules/state.ts';

export type PaymentRow = typeof payments.$inferSelect;
export type AttemptRow = typeof attempts.$inferSelect;

/** Database row → the pure state the status rules (./rules/) work on. */
export function paymentStateOf(row: PaymentRow): PaymentState {
  return {
    status: row.status,
    amountMinor: row.amountMinor,
    currency: row.currency,
    expiresAt: row.expiresAt,
    paidAt: row.paidAt,
    paidAmountMinor: row.paidAmountMinor,
    paidAttemptId: row.paidAttemptId,
    providerRef: row.providerRef,
    refundedAmountMinor: row.refundedAmountMinor,
    reviewReason: row.reviewReason,
    reviewSince: row.reviewSince,
  };
}

export function attemptStateOf(row: AttemptRow): AttemptState {
  return {
    id: row.id,
    status: row.status,
    amountMinor: row.amountMinor,
    currency: row.currency,
    providerOrderNo: row.providerOrderNo,
    providerPaymentId: row.providerPaymentId,
    rawStatus: row.rawStatus,
    flag: row.flaggedReason ? { reason: row.flaggedReason, rawStatus: row.flaggedRawStatus ?? '' } : null,
    seq: row.seq,
    heldAt: row.heldAt,
    captureMode: row.captureMode,
  };
}
