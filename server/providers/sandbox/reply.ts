import type { HttpReply, InboundOutcome } from '../provider.ts';

/** Standard Webhooks senders read only the status: 2xx delivered, anything else retried. */
export function sandboxReply(outcome: InboundOutcome): HttpReply {
  if (outcome.kind === 'accepted') return { status: 200, contentType: 'application/json', body: '{"ok":true}' };
  return {
    status: outcome.status,
    contentType: 'application/json',
    body: JSON.stringify({ error: { code: outcome.code, message: outcome.reason } }),
  };
}
