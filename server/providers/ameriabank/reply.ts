import type { HttpReply, InboundOutcome } from '../provider.ts';

/** Nobody at Ameriabank reads the answer (it is a browser return): a short plain text is enough. */
export function ameriabankReply(outcome: InboundOutcome): HttpReply {
  if (outcome.kind === 'accepted') return { status: 200, contentType: 'text/plain; charset=utf-8', body: 'OK' };
  return { status: outcome.status, contentType: 'text/plain; charset=utf-8', body: `${outcome.code}: ${outcome.reason}`.slice(0, 300) };
}
