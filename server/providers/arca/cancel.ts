import { ProviderError } from '../errors.ts';
import type { AttemptRef, CancelResult, ProviderContext } from '../provider.ts';
import type { ArcaCredentials } from './credentials.ts';
import { errorCodeOf, shownCode } from './error-codes.ts';
import { text } from './fields.ts';
import { requireOrderId } from './money-moving.ts';
import { callArca } from './api-call.ts';

/** reverse.do: works once, within a bank-specific window, with a permission the bank grants. */
export async function cancelArcaOrder(ctx: ProviderContext<ArcaCredentials>, attempt: AttemptRef): Promise<CancelResult> {
  const orderId = requireOrderId(attempt, 'reverse');
  const answer = await callArca(ctx, 'reverse', { orderId });
  const code = errorCodeOf(answer.body);
  if (answer.httpStatus !== 200 || !answer.body || code === undefined) {
    // CancelResult has no "unknown": say so as an error rather than claim it failed.
    throw new ProviderError(
      'arca',
      'arca_outcome_unknown',
      `reverse.do answered HTTP ${answer.httpStatus} without an errorCode: the reversal may or may not have happened; refresh the payment status before trying again.`,
      { httpStatus: answer.httpStatus },
      { said: answer.text },
    );
  }
  if (code === '0') return { state: 'succeeded' };
  return {
    state: 'failed',
    message: `the gateway refused the reversal: errorCode ${shownCode(code)} (reversal works once, within the bank's window and with its permission; otherwise refund).`,
    providerSaid: text(answer.body, 'errorMessage'),
  };
}
