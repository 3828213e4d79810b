import { findAttemptByRef } from '../payments/find-attempt.ts';
import type { VerifyDeps } from '../payments/verify-attempt.ts';
import { InboundRejectedError } from '../providers/errors.ts';
import type { InboundRequest, ParsedInbound, PaymentProvider, ProviderContext } from '../providers/provider.ts';
import { answerPrecheck } from './answer-precheck.ts';
import { refused, type InboundResult } from './inbound-result.ts';
import { readInbound } from './read-inbound.ts';
import { rejectionReply } from './rejection-reply.ts';
import { resolveReceiver } from './resolve-receiver.ts';
import { storeInbound } from './store-inbound.ts';

export type { InboundResult } from './inbound-result.ts';

/**
 * A provider notifies (docs/architecture.md, Flow 4 Provider notifies): verify the raw request,
 * then parse it, then in ONE synchronous transaction store it in the inbox (deduplicated) and apply
 * its fact, then answer in the provider's form. Unsigned claims are stored and answered, and a
 * status query decides. Nothing is written for a request that fails verification.
 */
export function receiveInbound(deps: VerifyDeps, providerName: string, accountId: number, req: InboundRequest): InboundResult {
  const result = receive(deps, providerName, accountId, req);
  const counter = deps.metrics?.notifications;
  if (counter) {
    // Label by provider only when it is one of ours: a scanner must not grow the label set.
    const provider = result.rejected === 'unknown_provider' ? 'unknown' : providerName;
    counter.inc({ provider, result: 'received' });
    if (result.rejected) counter.inc({ provider, result: 'rejected' });
    else if (result.duplicate) counter.inc({ provider, result: 'duplicate' });
    else if (result.parsed?.authenticated) counter.inc({ provider, result: 'verified' });
  }
  return result;
}

function receive(deps: VerifyDeps, providerName: string, accountId: number, req: InboundRequest): InboundResult {
  const receiver = resolveReceiver(deps, providerName, accountId);
  if ('refusal' in receiver) return receiver.refusal;
  const { provider } = receiver;
  const read = verifyAndParse(deps, { ...receiver, providerName, accountId }, req);
  if ('refusal' in read) return read.refusal;
  const { parsed } = read;

  const now = deps.clock.now();
  const attempt = findAttemptByRef(deps.db, { accountId, provider: providerName, ...parsed.ref });
  if (parsed.kind === 'precheck') return answerPrecheck(deps, provider, parsed, attempt, now);

  const stored = storeInbound(deps, { accountId, providerName, req, parsed, attempt, now });
  if (!stored.duplicate && stored.unknownOrder) {
    deps.logger.warn('notification for an unknown order', { provider: providerName, accountId, ref: parsed.ref });
    // Stored for support; the provider hears a rejection in its own form (Idram cancels the payment).
    return refused('unknown_order', rejectionReply(provider, 404, 'unknown_order', 'No such order here', parsed), parsed);
  }
  const decision = stored.duplicate ? undefined : stored.decision;
  const needsStatusQuery =
    !!attempt &&
    !stored.duplicate &&
    (!parsed.authenticated || !parsed.fact || decision?.outcome === 'amount_missing') &&
    provider.caps.statusQuery;
  return {
    reply: provider.replyFor({ kind: 'accepted' }, parsed),
    parsed,
    attemptId: attempt?.id,
    decision,
    needsStatusQuery,
    duplicate: stored.duplicate,
  };
}

/** Verification first, parsing second; a refusal is logged and answered in the provider's form. */
function verifyAndParse(
  deps: VerifyDeps,
  r: { provider: PaymentProvider<any>; ctx: ProviderContext<any>; providerName: string; accountId: number },
  req: InboundRequest,
): { parsed: ParsedInbound } | { refusal: InboundResult } {
  const where = { provider: r.providerName, accountId: r.accountId };
  try {
    return { parsed: readInbound(r.provider, r.ctx, req) };
  } catch (err) {
    if (err instanceof InboundRejectedError) {
      deps.logger.warn('inbound rejected', { ...where, code: err.code, reason: err.message });
      return { refusal: refused(err.code, rejectionReply(r.provider, err.status, err.code, err.message)) };
    }
    deps.logger.warn('inbound unreadable', { ...where, error: (err as Error).message });
    const reply = rejectionReply(r.provider, 400, 'malformed_notification', 'The notification could not be read');
    return { refusal: refused('malformed_notification', reply) };
  }
}
