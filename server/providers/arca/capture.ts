import { isValidAmountMinor } from '../../../shared/money.ts';
import { ProviderError } from '../errors.ts';
import type { AttemptRef, CaptureResult, ProviderContext } from '../provider.ts';
import { callArca } from './api-call.ts';
import type { ArcaCredentials } from './credentials.ts';
import { errorCodeOf } from './error-codes.ts';
import { text } from './fields.ts';
import { requireOrderId } from './money-moving.ts';

/**
 * deposit.do {orderId, amount (minor units)}: takes a two-stage hold. Called once: a timeout throws
 * ProviderTimeoutError, an answer without an errorCode is `arca_outcome_unknown`, and
 * getOrderStatusExtended.do settles it (orderStatus 2 = captured, still 1 = not).
 */
export async function captureArcaOrder(
  ctx: ProviderContext<ArcaCredentials>,
  attempt: AttemptRef,
  amountMinor: number,
): Promise<CaptureResult> {
  if (!isValidAmountMinor(amountMinor)) {
    // 0 would mean "the whole amount" on BPC: never send it by accident.
    throw new ProviderError('arca', 'arca_bad_amount', `capture amount ${amountMinor} is not a positive integer of minor units`);
  }
  const orderId = requireOrderId(attempt, 'deposit');
  const answer = await callArca(ctx, 'deposit', { orderId, amount: String(amountMinor) });
  const code = errorCodeOf(answer.body);
  if (answer.httpStatus !== 200 || !answer.body || code === undefined) {
    throw new ProviderError(
      'arca',
      'arca_outcome_unknown',
      `deposit.do answered HTTP ${answer.httpStatus} without an errorCode: the capture may or may not have happened; the order status tells.`,
      { httpStatus: answer.httpStatus },
      { said: answer.text },
    );
  }
  if (code === '0') return { state: 'succeeded' };
  const said = text(answer.body, 'errorMessage');
  return {
    state: 'failed',
    message: `the gateway refused the capture: errorCode ${code} (the hold may have expired, or the merchant is not set up for two-stage).`,
    providerSaid: said,
  };
}
