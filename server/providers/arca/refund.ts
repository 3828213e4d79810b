import { isValidAmountMinor } from '../../../shared/money.ts';
import { ProviderError } from '../errors.ts';
import type { AttemptRef, ProviderContext, RefundResult } from '../provider.ts';
import type { ArcaCredentials } from './credentials.ts';
import { errorCodeOf, shownCode } from './error-codes.ts';
import { text } from './fields.ts';
import { requireOrderId } from './money-moving.ts';
import { snippet } from '../transport/snippet.ts';
import { callArca } from './api-call.ts';

/**
 * refund.do (partial refunds accumulate up to the deposited total). externalRefundId = our refund
 * id makes a re-call return the existing refund on gateways that support it (unverified for ArCa),
 * yet we still call once: a timeout throws ProviderTimeoutError, an unreadable answer is 'pending'.
 */
export async function refundArcaOrder(
  ctx: ProviderContext<ArcaCredentials>,
  attempt: AttemptRef,
  amountMinor: number,
  opts: { refundId: string },
): Promise<RefundResult> {
  if (!isValidAmountMinor(amountMinor)) {
    // 0 would mean "refund everything" on BPC: never send it by accident.
    throw new ProviderError('arca', 'arca_bad_amount', `refund amount ${amountMinor} is not a positive integer of minor units`);
  }
  const orderId = requireOrderId(attempt, 'refund');
  const answer = await callArca(ctx, 'refund', { orderId, amount: String(amountMinor), externalRefundId: opts.refundId });
  const code = errorCodeOf(answer.body);
  if (answer.httpStatus !== 200 || !answer.body || code === undefined) {
    return {
      state: 'pending',
      message: `refund.do answered HTTP ${answer.httpStatus} without an errorCode: the refund may or may not have happened; refresh the payment status before trying again.`,
      providerSaid: snippet(answer.text),
    };
  }
  if (code === '0') return { state: 'succeeded', providerRefundId: opts.refundId };
  return {
    state: 'failed',
    message: `the gateway refused the refund: errorCode ${shownCode(code)}`,
    providerSaid: text(answer.body, 'errorMessage'),
  };
}
