import type { HttpReply, InboundOutcome, ParsedInbound, PaymentProvider } from '../providers/provider.ts';

/** A refusal in the provider's own form (Idram wants 200 + reason), or our JSON envelope when no provider matched. */
export function rejectionReply(
  provider: PaymentProvider<any> | undefined,
  status: number,
  code: string,
  reason: string,
  parsed?: ParsedInbound,
): HttpReply {
  const outcome: InboundOutcome = { kind: 'rejected', status, code, reason };
  if (provider) return provider.replyFor(outcome, parsed);
  return { status, contentType: 'application/json', body: JSON.stringify({ error: { code, message: reason } }) };
}
