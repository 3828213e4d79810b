import type { Currency } from '../../../shared/money.ts';
import type { AttemptStatus, PaymentStatus, ReviewReason } from '../../../shared/status.ts';
import type { LedgerEvent } from '../ledger-events.ts';

/**
 * The pure state the status rules work on (docs/architecture.md, Status rules). No I/O and no
 * clock in this folder: the server wraps each decision in one database transaction with its audit
 * and outbox rows; tests drive the rules directly.
 */
export interface PaymentState {
  status: PaymentStatus;
  amountMinor: number;
  currency: Currency;
  expiresAt: number;
  paidAt: number | null;
  paidAmountMinor: number | null;
  paidAttemptId: string | null;
  providerRef: string | null;
  refundedAmountMinor: number;
  reviewReason: ReviewReason | null;
  reviewSince: number | null;
}

/** The review an attempt was last flagged for, and the provider answer (its raw status) that flagged it. */
export interface AttemptFlag {
  reason: ReviewReason;
  rawStatus: string;
}

export interface AttemptState {
  id: string;
  status: AttemptStatus;
  amountMinor: number;
  currency: Currency;
  providerOrderNo: string;
  providerPaymentId: string | null;
  /** The provider's own words for the last answer that changed the attempt. */
  rawStatus: string | null;
  /** Set when an answer sent the payment to review; a later answer that moves the attempt clears it. */
  flag: AttemptFlag | null;
  /** Creation order within the payment: the highest is "the last attempt". */
  seq: number;
  /** While `authorized`: when the provider reported the funds held, and who captures them. */
  heldAt: number | null;
  captureMode: 'auto' | 'manual' | null;
}

export interface Decision {
  payment: PaymentState;
  attempt?: AttemptState;
  events: LedgerEvent[];
  /** Why nothing changed, when nothing did (kept on the inbox row for support). */
  outcome: string;
  /** Refund to record from a provider's cumulative total (minor units), if it grew. */
  providerRefundMinor?: number;
}

/** A cannot-pay answer to "may this payment change this way?" (open an attempt, cancel). */
export type Refusal = { refused: 'already_paid' | 'expired' | 'cancelled' };

export function unchanged(payment: PaymentState, outcome: string): Decision {
  return { payment, events: [], outcome };
}
