import type { HttpReply, InboundOutcome } from '../provider.ts';

/** Telcell expects a plain "OK" for a callback it may stop resending; a rejection keeps its status. */
export function telcellReply(outcome: InboundOutcome): HttpReply {
  if (outcome.kind === 'accepted') return { status: 200, contentType: 'text/plain; charset=utf-8', body: 'OK' };
  const text = `${outcome.code}: ${outcome.reason}`.replace(/\s+/g, ' ').trim().slice(0, 300);
  return { status: outcome.status, contentType: 'text/plain; charset=utf-8', body: text || 'REJECTED' };
}
