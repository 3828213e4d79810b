import { isPayable } from '../../shared/status.ts';
import type { Step } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';
import { loadPayment } from '../payments/load-payment.ts';
import type { AttemptRow } from '../payments/payment-state.ts';
import type { ParsedInbound, PaymentProvider } from '../providers/provider.ts';
import type { InboundResult } from './inbound-result.ts';
import { rejectionReply } from './rejection-reply.ts';

/** Idram asks before taking money: answer OK only for an existing, payable bill of the same amount. Nothing is stored. */
export function* answerPrecheck(
  tx: Tx | undefined,
  provider: PaymentProvider<any>,
  parsed: ParsedInbound,
  attempt: AttemptRow | undefined,
  now: number,
): Step<InboundResult> {
  const base = { parsed, needsStatusQuery: false, duplicate: false };
  const refuse = (status: number, code: string, reason: string) => ({
    ...base,
    ...(attempt ? { attemptId: attempt.id } : {}),
    rejected: code,
    reply: rejectionReply(provider, status, code, reason, parsed),
  });
  if (!attempt || !tx) return refuse(404, 'unknown_bill', 'Unknown bill');
  const payment = yield* loadPayment(tx, attempt.paymentId);
  if (!isPayable(payment.status) || now >= payment.expiresAt) {
    return refuse(409, 'not_payable', `This bill is ${payment.status === 'awaiting' ? 'expired' : payment.status}`);
  }
  const claimed = parsed.fact?.amountMinor;
  if (claimed !== attempt.amountMinor || (parsed.fact?.currency && parsed.fact.currency !== attempt.currency)) {
    return refuse(409, 'amount_mismatch', 'The amount does not match the bill');
  }
  return { ...base, attemptId: attempt.id, reply: provider.replyFor({ kind: 'accepted' }, parsed) };
}
