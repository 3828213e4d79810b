import { isPayable } from '../../shared/status.ts';
import type { findAttemptByRef } from '../payments/find-attempt.ts';
import { loadPayment } from '../payments/load-payment.ts';
import type { VerifyDeps } from '../payments/verify-attempt.ts';
import type { ParsedInbound, PaymentProvider } from '../providers/provider.ts';
import type { InboundResult } from './inbound-result.ts';
import { rejectionReply } from './rejection-reply.ts';

/** Idram asks before taking money: answer OK only for an existing, payable bill of the same amount. Nothing is stored. */
export function answerPrecheck(
  deps: VerifyDeps,
  provider: PaymentProvider<any>,
  parsed: ParsedInbound,
  attempt: ReturnType<typeof findAttemptByRef>,
  now: number,
): InboundResult {
  const base = { parsed, needsStatusQuery: false, duplicate: false };
  const refuse = (status: number, code: string, reason: string) => ({
    ...base,
    ...(attempt ? { attemptId: attempt.id } : {}),
    rejected: code,
    reply: rejectionReply(provider, status, code, reason, parsed),
  });
  if (!attempt) return refuse(404, 'unknown_bill', 'Unknown bill');
  const payment = loadPayment(deps.db, attempt.paymentId);
  if (!isPayable(payment.status) || now >= payment.expiresAt) {
    return refuse(409, 'not_payable', `This bill is ${payment.status === 'awaiting' ? 'expired' : payment.status}`);
  }
  const claimed = parsed.fact?.amountMinor;
  if (claimed !== attempt.amountMinor || (parsed.fact?.currency && parsed.fact.currency !== attempt.currency)) {
    return refuse(409, 'amount_mismatch', 'The amount does not match the bill');
  }
  return { ...base, attemptId: attempt.id, reply: provider.replyFor({ kind: 'accepted' }, parsed) };
}
