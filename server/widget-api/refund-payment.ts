import { refundableMinor } from '../payments/rules/refund-status.ts';
import { ConflictError } from '../errors/app-error.ts';
import { loadAttempt, loadPayment } from '../payments/load-payment.ts';
import { paymentStateOf, type PaymentRow } from '../payments/payment-state.ts';
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

type Provider = Awaited<ReturnType<AppServices['providers']['context']>>['provider'];

/** Everything that can refuse without touching money, checked before the reservation. */
function assertRefundable(provider: Provider, payment: PaymentRow, providerName: string, amountMinor: number | undefined): void {
  if (provider.caps.refund === 'none') {
    throw new ConflictError(
      'refund_not_supported',
      `${providerName} has no refund API: refund in the provider's cabinet, then record it with the provider's support.`,
    );
  }
  if (provider.caps.refund !== 'full') return;
  const rest = refundableMinor(paymentStateOf(payment));
  const partial = payment.refundedAmountMinor > 0 || (amountMinor !== undefined && amountMinor !== rest);
  if (partial) {
    throw new ConflictError(
      'partial_refund_not_supported',
      `${providerName} refunds only the whole payment (${rest} minor units); refund part of it in the provider's cabinet.`,
      { maxAmountMinor: rest },
    );
  }
}

/** The provider's answer settles the reservation; an answer that does not say leaves it `unknown` for a status query. */
function settleFromResult(services: AppServices, refundId: string, result: RefundResult, actor: string): Promise<RefundRow> {
  const { ledger, logger } = services;
  // The provider's own words go to the log only; the refund keeps our message.
  if (result.providerSaid) logger.info('refund: the provider said', { refundId, state: result.state, providerSaid: result.providerSaid });
  switch (result.state) {
    case 'succeeded':
      return settleRefund(ledger, { refundId, state: 'succeeded', providerRefundId: result.providerRefundId, actor });
    case 'failed':
      return settleRefund(ledger, { refundId, state: 'failed', message: result.message, actor });
    case 'pending':
      return settleRefund(ledger, {
        refundId,
        state: 'unknown',
        providerRefundId: result.providerRefundId,
        message: result.message,
        actor,
      });
  }
}

/** The call threw: a provider's own refusal fails it; a timeout or our own failure leaves it `unknown` (the money may have moved). */
function settleFromError(services: AppServices, refundId: string, provider: string, err: unknown, actor: string): Promise<RefundRow> {
  const { ledger, logger } = services;
  if (err instanceof ProviderTimeoutError) {
    logger.warn('refund: no answer from the provider; a status query decides', { refundId, provider });
    return settleRefund(ledger, { refundId, state: 'unknown', message: err.message, actor });
  }
  if (err instanceof ProviderError) {
    logger.warn('refund: the provider refused', { refundId, provider, code: err.code, error: err });
    return settleRefund(ledger, { refundId, state: 'failed', message: err.message, actor });
  }
  logger.error('refund: unexpected error calling the provider; settled as unknown', { refundId, provider, error: err });
  return settleRefund(ledger, { refundId, state: 'unknown', message: err instanceof Error ? err.message : String(err), actor });
}

/**
 * A manager's refund, in the ledger's two steps: reserve it as pending (two clicks cannot refund
 * twice, and never more than paid minus refunded), call the provider's refund exactly once outside
 * any transaction, then settle. Never retried automatically: a timeout or an answer that does not
 * say settles as `unknown`, and a later status query decides.
 */
export async function refundPayment(services: AppServices, input: RefundInput): Promise<RefundRow> {
  const { store, ledger, providers } = services;
  const { payment, attempt } = await store.run(function* (tx) {
    const payment = yield* loadPayment(tx, input.paymentId, input.accountId);
    return { payment, attempt: payment.paidAttemptId ? yield* loadAttempt(tx, payment.paidAttemptId) : undefined };
  });
  // Not paid: requestRefund refuses with the ledger's own code (payment_not_paid).
  if (!attempt) return requestRefund(ledger, input);
  const { provider, ctx } = await providers.context(input.accountId, attempt.provider);
  assertRefundable(provider, payment, attempt.provider, input.amountMinor);
  const refund = await requestRefund(ledger, input);
  let result: RefundResult;
  try {
    result = await provider.refund(ctx, attemptRef(attempt), refund.amountMinor, { refundId: refund.id });
  } catch (err) {
    return settleFromError(services, refund.id, attempt.provider, err, input.actor);
  }
  return settleFromResult(services, refund.id, result, input.actor);
}
