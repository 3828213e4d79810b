import { runSync } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';
import { findAttemptByRef } from '../payments/find-attempt.ts';
import type { AttemptRow } from '../payments/payment-state.ts';
import type { VerifyDeps } from '../payments/verify-attempt.ts';
import { InboundRejectedError } from '../providers/errors.ts';
import type { InboundRequest, ParsedInbound, PaymentProvider, ProviderContext } from '../providers/provider.ts';
import { answerPrecheck } from './answer-precheck.ts';
import { refused, type InboundResult } from './inbound-result.ts';
import { readInbound } from './read-inbound.ts';
import { rejectionReply } from './rejection-reply.ts';
import { resolveReceiver, unknownOrder } from './resolve-receiver.ts';
import { storeInbound, type StoreOutcome } from './store-inbound.ts';

export type { InboundResult } from './inbound-result.ts';

/**
 * Admission of a request that proves nothing (not a verified notification): counted against the
 * client's and the account's budget; false means answer 429 and do nothing else (no row, no log,
 * no status query). Absent: everything is admitted (unit tests of the pipeline).
 */
export type StrangerGate = () => boolean;

/**
 * A provider notifies (docs/architecture.md, Flow 4 Provider notifies): verify the raw request,
 * then parse it, then in ONE synchronous transaction store it in the inbox (deduplicated) and apply
 * its fact, then answer in the provider's form. Unsigned claims are stored (bounded) and answered,
 * and a status query decides; a browser return is not stored at all. Nothing is written for a
 * request that fails verification, and nothing at all past the strangers' budget.
 */
export async function receiveInbound(
  deps: VerifyDeps,
  providerName: string,
  accountId: number,
  req: InboundRequest,
  admit: StrangerGate = () => true,
): Promise<InboundResult> {
  const result = await receive(deps, providerName, accountId, req, admit);
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

function rateLimited(provider: PaymentProvider<any> | undefined): InboundResult {
  return refused('rate_limited', rejectionReply(provider, 429, 'rate_limited', 'Too many unverified requests; try again later'));
}

async function receive(
  deps: VerifyDeps,
  providerName: string,
  accountId: number,
  req: InboundRequest,
  admit: StrangerGate,
): Promise<InboundResult> {
  const receiver = await resolveReceiver(deps, providerName, accountId, req);
  if ('refusal' in receiver) return admit() ? receiver.refusal : rateLimited(undefined);
  const { provider } = receiver;
  const read = verifyAndParse({ ...receiver, providerName, accountId }, req);
  if (!('parsed' in read) || !read.parsed.authenticated) {
    if (!admit()) return rateLimited(provider);
    if (!('parsed' in read)) return read.refuse(deps);
  }
  const { parsed } = read;

  const now = deps.clock.now();
  if (receiver.stranger) {
    // Answered as a real account answers an order it does not have; nothing stored.
    deps.logger.warn(receiver.stranger.message, receiver.stranger.meta);
    return parsed.kind === 'precheck'
      ? runSync(answerPrecheck(undefined, provider, parsed, undefined, now))
      : unknownOrder(provider, parsed);
  }
  const find = (tx: Tx) => findAttemptByRef(tx, { accountId, provider: providerName, ...parsed.ref });
  if (parsed.kind === 'precheck')
    return deps.store.run(function* (tx) {
      return yield* answerPrecheck(tx, provider, parsed, yield* find(tx), now);
    });
  if (parsed.kind === 'return') return browserReturn(provider, parsed, await deps.store.run(find));
  // The notification's one durable transaction (the store's ingest: group commit), answered once committed.
  // The step only reads and writes: a group commit may run it twice (once more after another step failed).
  const { attempt, stored } = await deps.store.ingest(function* (tx) {
    const attempt = yield* find(tx);
    return { attempt, stored: yield* storeInbound(tx, { accountId, providerName, req, parsed, attempt, now }) };
  });
  return settled(deps, { provider, providerName, accountId, parsed, attempt, stored });
}

function settled(
  deps: VerifyDeps,
  input: {
    provider: PaymentProvider<any>;
    providerName: string;
    accountId: number;
    parsed: ParsedInbound;
    attempt: AttemptRow | undefined;
    stored: StoreOutcome;
  },
): InboundResult {
  const { provider, providerName, accountId, parsed, attempt, stored } = input;
  if (!stored.duplicate && stored.unknownOrder) {
    deps.logger.warn('notification for an unknown order', { provider: providerName, accountId, ref: parsed.ref });
    // Stored for support; the provider hears a rejection in its own form (Idram cancels the payment).
    return unknownOrder(provider, parsed);
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

/** A browser that came back proves nothing and is not stored: a status query (rationed) decides. */
function browserReturn(provider: PaymentProvider<any>, parsed: ParsedInbound, attempt: AttemptRow | undefined): InboundResult {
  if (!attempt) return unknownOrder(provider, parsed);
  return {
    reply: provider.replyFor({ kind: 'accepted' }, parsed),
    parsed,
    attemptId: attempt.id,
    needsStatusQuery: provider.caps.statusQuery,
    duplicate: false,
  };
}

type Read = { parsed: ParsedInbound } | { refuse(deps: VerifyDeps): InboundResult };

/** Verification first, parsing second; a refusal is logged (once admitted) and answered in the provider's form. */
function verifyAndParse(
  r: { provider: PaymentProvider<any>; ctx: ProviderContext<any>; providerName: string; accountId: number },
  req: InboundRequest,
): Read {
  try {
    return { parsed: readInbound(r.provider, r.ctx, req) };
  } catch (err) {
    const where = { provider: r.providerName, accountId: r.accountId };
    if (err instanceof InboundRejectedError) {
      return {
        refuse: (deps) => {
          deps.logger.warn('inbound rejected', { ...where, code: err.code, reason: err.message });
          return refused(err.code, rejectionReply(r.provider, err.status, err.code, err.message));
        },
      };
    }
    return {
      refuse: (deps) => {
        deps.logger.warn('inbound unreadable', { ...where, error: (err as Error).message });
        return refused(
          'malformed_notification',
          rejectionReply(r.provider, 400, 'malformed_notification', 'The notification could not be read'),
        );
      },
    };
  }
}
