import type { Decision } from '../payments/rules/state.ts';
import type { HttpReply, ParsedInbound } from '../providers/provider.ts';

export interface InboundResult {
  reply: HttpReply;
  parsed?: ParsedInbound;
  attemptId?: string;
  decision?: Decision;
  /** The claim could not settle anything by itself: a status query must decide. */
  needsStatusQuery: boolean;
  duplicate: boolean;
  /** The code of the rejection, when the request was refused (whatever HTTP form the provider wants). */
  rejected?: string;
}

/** A refused request: nothing was stored, nothing needs a status query. */
export function refused(code: string, reply: HttpReply, parsed?: ParsedInbound): InboundResult {
  return { reply, ...(parsed ? { parsed } : {}), rejected: code, needsStatusQuery: false, duplicate: false };
}
