import { refundableMinor } from '../payments/rules/refund-status.ts';
import { ConflictError } from '../errors/app-error.ts';
import { loadAttempt, loadPayment } from '../payments/load-payment.ts';
import { paymentStateOf } from '../payments/payment-state.ts';
import { requestRefund, settleRefund, type RefundRow } from '../payments/refunds.ts';
import { attemptRef } from '../payments/verify-attempt.ts';
import { ProviderError, ProviderTimeoutError } from '../providers/errors.ts';
import type { RefundResult } from '../providers/provider.ts';
import type { AppServices } from '../services.ts';

export interface RefundInput {
  paymentId: string;
  accountId: number;
  /** Absent: everything paid and not yet refunded. */
  amountMinor?: number;
  actor: string;
}

/**
 * A manager's refund, in the ledger's two steps: reserve it as pending (two clicks cannot refund
 * twice, and never more than paid minus refunded), call the provider's refund exactly once outside
 * any transaction, then settle. Never retried automatically: a timeout or an answer that does not
 * say settles as `unknown`, and a later status query decides.
 */
export async function refundPayment(services: AppServices, input: RefundInput): Promise<RefundRow> {
  const { db, ledger, providers, logger } = services;
  const payment = loadPayment(db, input.paymentId, input.accountId);
  const attempt = payment.paidAttemptId ? loadAttempt(db, payment.paidAttemptId) : undefined;
  if (!attempt) {
    // Not paid: requestRefund refuses with the ledger's own code (payment_not_paid).
    return requestRefund(ledger, input);
  }

  // Everything that can refuse without touching money is checked before the reservation.
  const { provider, ctx } = providers.context(input.accountId, attempt.provider);
  if (provider.caps.refund === 'none') {
    throw new ConflictError(
      'refund_not_supported',
      `${attempt.provider} has no refund API: refund in the provider's cabinet, then record it with the provider's support.`,
    );
  }
  if (provider.caps.refund === 'full') {
    const rest = refundableMinor(paymentStateOf(payment));
    const partial = payment.refundedAmountMinor > 0 || (input.amountMinor !== undefined && input.amountMinor !== rest);
    if (partial) {
      throw new ConflictError(
        'partial_refund_not_supported',
        `${attempt.provider} refunds only the whole payment (${rest} minor units); refund part of it in the provider's cabinet.`,
        {
          maxAmountMinor: rest,
        },
      );
    }
  }

  const refund = requestRefund(ledger, input);
  let result: RefundResult;
  try {
    result = await provider.refund(ctx, attemptRef(attempt), refund.amountMinor, { refundId: refund.id });
  } catch (err) {
    if (err instanceof ProviderTimeoutError) {
      logger.warn('refund: no answer from the provider; a status query decides', { refundId: refund.id, provider: attempt.provider });
      return settleRefund(ledger, { refundId: refund.id, state: 'unknown', message: err.message, actor: input.actor });
    }
    if (err instanceof ProviderError) {
      return settleRefund(ledger, { refundId: refund.id, state: 'failed', message: err.message, actor: input.actor });
    }
    // Our own failure after the call may have left: the money may have moved. Do not guess.
    logger.error('refund: unexpected error calling the provider; settled as unknown', {
      refundId: refund.id,
      provider: attempt.provider,
      error: err,
    });
    return settleRefund(ledger, {
      refundId: refund.id,
      state: 'unknown',
      message: err instanceof Error ? err.message : String(err),
      actor: input.actor,
    });
  }
  switch (result.state) {
    case 'succeeded':
      return settleRefund(ledger, {
        refundId: refund.id,
        state: 'succeeded',
        providerRefundId: result.providerRefundId,
        actor: input.actor,
      });
    case 'failed':
      return settleRefund(ledger, { refundId: refund.id, state: 'failed', message: result.message, actor: input.actor });
    case 'pending':
      return settleRefund(ledger, {
        refundId: refund.id,
        state: 'unknown',
        providerRefundId: result.providerRefundId,
        message: result.message,
        actor: input.actor,
      });
  }
}
