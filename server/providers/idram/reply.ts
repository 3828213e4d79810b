import type { HttpReply, InboundOutcome } from '../provider.ts';

/**
 * Idram reads only the body of a 200: exactly "OK" accepts, any other text makes Idram cancel the
 * payment (or refuse it, for a precheck). A non-2xx is worse: Idram then keeps a confirmed payment
 * as successful. So every answer is a 200, and only acceptance says OK.
 */
export function idramReply(outcome: InboundOutcome): HttpReply {
  if (outcome.kind === 'accepted') return { status: 200, contentType: 'text/plain; charset=utf-8', body: 'OK' };
  return { status: 200, contentType: 'text/plain; charset=utf-8', body: rejectionText(outcome.code, outcome.reason) };
}

function rejectionText(code: string, reason: string): string {
  const text = `${code}: ${reason}`.replace(/\s+/g, ' ').trim().slice(0, 200);
  // Never let a rejection read as acceptance, whatever the reason text is.
  return text.toUpperCase() === 'OK' || text === '' ? 'REJECTED' : text;
}
