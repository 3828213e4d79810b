import type { HttpReply, InboundOutcome } from '../provider.ts';

/** The gateway wants HTTP 200; anything else makes it retry (every 30 s, up to 3 times). */
export function arcaReply(outcome: InboundOutcome): HttpReply {
  if (outcome.kind === 'accepted') return { status: 200, contentType: 'text/plain; charset=utf-8', body: 'OK' };
  return { status: outcome.status, contentType: 'text/plain; charset=utf-8', body: `${outcome.code}: ${outcome.reason}`.slice(0, 300) };
}
