import type { Currency } from '../../shared/money.ts';
import type { PaymentStatus } from '../../shared/status.ts';

/**
 * What happened to a payment, as data. The rules return these; `commitDecision` writes one audit
 * entry per event and queues the CRM consequences with the event itself (never its text): the sync
 * side renders notes and tasks from it when it sends, in whatever language it is given then.
 * Each variant carries exactly what a reader of the audit trail or a renderer needs.
 */
export type LedgerEvent =
  | { type: 'created'; amountMinor: number; currency: Currency; expiresAt: number; providers: string[]; origin?: PaymentOrigin }
  | { type: 'resent'; channel: string }
  /** dramlink itself had the link sent: amoCRM accepted the start of the account's Salesbot for the lead. */
  | { type: 'sent'; via: 'salesbot'; botId: number }
  | { type: 'attempt_opened'; attemptId: string; provider: string; providerOrderNo: string }
  | { type: 'attempt_pending' | 'attempt_failed' | 'attempt_expired' | 'attempt_cancelled'; attemptId: string; rawStatus: string }
  | { type: 'paid'; attemptId: string; amountMinor: number; currency: Currency; providerRef: string }
  /** A two-stage provider holds the funds (not taken): captured by the server, or by an admin (`captureMode`). */
  | { type: 'authorized'; attemptId: string; amountMinor: number; currency: Currency; captureMode: 'auto' | 'manual' }
  /** A capture or void of a hold was asked for (reserved before the provider is called once). */
  | { type: 'capture_requested' | 'void_requested'; attemptId: string; actionId: string }
  /** The provider refused it, or the status query after an unknown outcome shows it did not happen. */
  | { type: 'capture_failed' | 'void_failed'; attemptId: string; actionId: string; message: string | null }
  | { type: 'expired'; expiresAt: number }
  | { type: 'cancelled' }
  | { type: 'refund_requested'; refundId: string; amountMinor: number }
  | RefundedEvent
  | { type: 'refund_failed'; refundId: string; amountMinor: number; message: string | null }
  | { type: 'refund_unknown'; refundId: string; amountMinor: number }
  | ReviewNeededEvent;

export type LedgerEventType = LedgerEvent['type'];

/**
 * What asked for a link when it was not a manager on the lead card: amoCRM's invoice page (the
 * customer chose dramlink to pay an invoice), a Digital Pipeline trigger, a Salesbot step, or a
 * manager's bulk run from the lead list.
 */
export type PaymentOrigin =
  { kind: 'invoice'; invoiceId: number; name: string | null } | { kind: 'pipeline' } | { kind: 'salesbot' } | { kind: 'bulk' };

/** Money went back to the customer: asked for by a manager, or found in the provider's cumulative total. */
export type RefundedEvent = { type: 'refunded' | 'partially_refunded'; amountMinor: number; refundedTotalMinor: number } & (
  { source: 'manager'; refundId: string } | { source: 'provider'; attemptId: string }
);

/** Something a person must settle; the reason says what, the rest is the evidence. */
export type ReviewNeededEvent = { type: 'review_needed'; attemptId: string } & (
  | {
      reason: 'amount_mismatch' | 'currency_mismatch';
      expected: { amountMinor: number; currency: Currency };
      reported: { amountMinor: number; currency: string | null };
    }
  | { reason: 'double_payment'; firstAttemptId: string | null; amountMinor: number; providerRef: string }
  | { reason: 'paid_after_expiry' | 'paid_after_cancel'; previousStatus: PaymentStatus }
  | { reason: 'refund_exceeds_paid'; reportedTotalMinor: number; paidMinor: number }
  | { reason: 'provider_unclear'; rawStatus: string }
  | { reason: 'capture_failed' | 'void_failed'; actionId: string; message: string | null }
);

/** The variant of one event type (also for variants that share a shape, such as refunded/partially_refunded). */
export type EventOf<T extends LedgerEventType> = LedgerEvent extends infer E
  ? E extends { type: infer K }
    ? T extends K
      ? E & { type: T }
      : never
    : never
  : never;

/** Events the manager reads as a note on the lead; the others live in the audit trail only. */
export type NotedEventType =
  | 'created'
  | 'resent'
  | 'sent'
  | 'authorized'
  | 'paid'
  | 'attempt_failed'
  | 'expired'
  | 'cancelled'
  | 'refunded'
  | 'partially_refunded'
  | 'refund_failed'
  | 'review_needed';

const NOTED: ReadonlySet<LedgerEventType> = new Set<NotedEventType>([
  'created',
  'resent',
  'sent',
  'authorized',
  'paid',
  'attempt_failed',
  'expired',
  'cancelled',
  'refunded',
  'partially_refunded',
  'refund_failed',
  'review_needed',
]);

export type NotedEvent = EventOf<NotedEventType>;

export function isNoted(event: LedgerEvent): event is NotedEvent {
  return NOTED.has(event.type);
}

/** Events a person must act on: each opens an exception and, the first time, a task on the lead. */
export type ExceptionEvent = EventOf<'review_needed' | 'refund_failed'>;

export function isExceptionEvent(event: LedgerEvent): event is ExceptionEvent {
  return event.type === 'review_needed' || event.type === 'refund_failed';
}

/**
 * The audit entry of an event. A review is recorded under its reason (`amount_mismatch`,
 * `double_payment`…), the vocabulary the audit trail, the metrics and the panel's history use.
 */
export function auditEntryOf(event: LedgerEvent): { action: string; details: Record<string, unknown> } {
  if (event.type === 'review_needed') {
    const { type: _type, reason, ...details } = event;
    return { action: reason, details };
  }
  const { type, ...details } = event;
  return { action: type, details };
}
