import type { ExceptionDetail } from '../exceptions/exception-detail.ts';
import type { ExceptionEvent } from './ledger-events.ts';
import type { PaymentRow } from './payment-state.ts';

/**
 * The exception an event opens, and its key: one per payment and review reason, one per failed
 * refund. The keys are stable (open exceptions of older versions use the same ones), so a repeat of
 * the same problem while it is open opens nothing new.
 */
export function exceptionOf(
  payment: Pick<PaymentRow, 'id' | 'amountMinor' | 'currency'>,
  event: ExceptionEvent,
): ExceptionDetail & { key: string } {
  if (event.type === 'review_needed') {
    return {
      key: `needs_review:${payment.id}:${event.reason}`,
      kind: 'needs_review',
      reason: event.reason,
      data: { amountMinor: payment.amountMinor, currency: payment.currency },
    };
  }
  return {
    key: `refund_failed:${payment.id}:refund_failed:${event.refundId}`,
    kind: 'refund_failed',
    reason: 'provider_refused',
    data: { refundId: event.refundId, amountMinor: event.amountMinor, currency: payment.currency, providerMessage: event.message },
  };
}
