import { eq, sql } from 'drizzle-orm';
import { isPayable } from '../../shared/status.ts';
import { atomic } from '../db/atomic.ts';
import { prepared } from '../db/prepared.ts';
import { accounts } from '../db/schema.ts';
import { isAppError } from '../errors/app-error.ts';
import { applyProviderFactInTx } from '../payments/apply-provider-fact.ts';
import type { Decision } from '../payments/rules/state.ts';
import { findAttemptByRef } from '../payments/find-attempt.ts';
import { inboxRowExists, insertInboxRow } from '../payments/inbox.ts';
import { loadPayment } from '../payments/load-payment.ts';
import type { VerifyDeps } from '../payments/verify-attempt.ts';
import { InboundRejectedError } from '../providers/errors.ts';
import type { HttpReply, InboundOutcome, InboundRequest, ParsedInbound, PaymentProvider } from '../providers/provider.ts';

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

/** Headers worth keeping beside the raw body; signatures stay in the body/headers we verified. */
const KEPT_HEADERS = ['content-type', 'user-agent', 'webhook-id', 'webhook-timestamp', 'x-forwarded-for'];

function rawRecord(req: InboundRequest): string {
  const headers = Object.fromEntries(KEPT_HEADERS.filter((h) => req.headers[h] !== undefined).map((h) => [h, req.headers[h]]));
  return JSON.stringify({ method: req.method, query: req.query, headers, body: req.rawBody.toString('utf8') });
}

function rejected(
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

/**
 * Flow 4 of the design: parse and verify the raw request, then in ONE synchronous transaction
 * store it in the inbox (deduplicated) and apply its fact, then answer in the provider's form.
 * Unsigned claims are stored and answered, and a status query decides (principle 2).
 * Nothing is written for a request that fails verification.
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
  const none = { needsStatusQuery: false, duplicate: false };
  let provider: PaymentProvider<any>;
  let ctx;
  try {
    provider = deps.providers.provider(providerName);
  } catch {
    return { ...none, rejected: 'unknown_provider', reply: rejected(undefined, 404, 'unknown_provider', `No provider "${providerName}"`) };
  }
  const account = Number.isSafeInteger(accountId)
    ? prepared(deps.db, 'account.exists', () =>
        deps.db
          .select({ id: accounts.id })
          .from(accounts)
          .where(eq(accounts.id, sql.placeholder('id')))
          .prepare(),
      ).get({ id: accountId })
    : undefined;
  if (!account)
    return {
      ...none,
      rejected: 'unknown_account',
      reply: rejected(provider, 404, 'unknown_account', `No account ${String(accountId)} here`),
    };
  try {
    ctx = deps.providers.context(accountId, providerName).ctx;
  } catch (err) {
    const message = isAppError(err) ? err.message : 'provider not configured';
    return { ...none, rejected: 'provider_not_configured', reply: rejected(provider, 404, 'provider_not_configured', message) };
  }

  let parsed: ParsedInbound;
  try {
    parsed = provider.parseInbound(ctx, req);
  } catch (err) {
    if (err instanceof InboundRejectedError) {
      deps.logger.warn('inbound rejected', { provider: providerName, accountId, code: err.code, reason: err.message });
      return { ...none, rejected: err.code, reply: rejected(provider, err.status, err.code, err.message) };
    }
    deps.logger.warn('inbound unreadable', { provider: providerName, accountId, error: (err as Error).message });
    return {
      ...none,
      rejected: 'malformed_notification',
      reply: rejected(provider, 400, 'malformed_notification', 'The notification could not be read'),
    };
  }

  const now = deps.clock.now();
  const attempt = findAttemptByRef(deps.db, { accountId, provider: providerName, ...parsed.ref });

  if (parsed.kind === 'precheck') return precheck(deps, provider, parsed, attempt, now);

  const result = atomic(deps.db, (tx) => {
    // Dedupe first, then apply, then store the row with its outcome: one write for the inbox,
    // and all of it in this transaction, so a row is never stored without its effect.
    if (inboxRowExists(tx, accountId, providerName, parsed.dedupeKey)) return { duplicate: true as const };
    const store = (state: 'applied' | 'ignored', outcome: string) =>
      insertInboxRow(tx, {
        accountId,
        provider: providerName,
        dedupeKey: parsed.dedupeKey,
        kind: parsed.kind,
        authenticated: parsed.authenticated,
        attemptId: attempt?.id ?? null,
        paymentId: attempt?.paymentId ?? null,
        raw: rawRecord(req),
        fact: parsed.fact ? JSON.stringify(parsed.fact) : null,
        state,
        outcome,
        receivedAt: now,
        processedAt: now,
      });
    if (!attempt) {
      store('ignored', 'unknown_order');
      return { duplicate: false as const, unknown: true as const };
    }
    if (!parsed.authenticated || !parsed.fact) {
      store('ignored', 'unauthenticated_claim');
      return { duplicate: false as const };
    }
    const decision = applyProviderFactInTx(tx, now, { attemptId: attempt.id, fact: parsed.fact, actor: `provider:${providerName}` });
    store(decision.events.length ? 'applied' : 'ignored', decision.outcome);
    return { duplicate: false as const, decision };
  });

  if ('unknown' in result) {
    deps.logger.warn('notification for an unknown order', { provider: providerName, accountId, ref: parsed.ref });
    // Stored for support; the provider hears a rejection in its own form (Idram cancels the payment).
    return { ...none, parsed, rejected: 'unknown_order', reply: rejected(provider, 404, 'unknown_order', 'No such order here', parsed) };
  }
  const decision = 'decision' in result ? result.decision : undefined;
  const needsStatusQuery =
    !!attempt &&
    !result.duplicate &&
    (!parsed.authenticated || !parsed.fact || decision?.outcome === 'amount_missing') &&
    provider.caps.statusQuery;
  return {
    reply: provider.replyFor({ kind: 'accepted' }, parsed),
    parsed,
    attemptId: attempt?.id,
    decision,
    needsStatusQuery,
    duplicate: result.duplicate,
  };
}

/** Idram asks before taking money: answer OK only for an existing, payable bill of the same amount. */
function precheck(
  deps: VerifyDeps,
  provider: PaymentProvider<any>,
  parsed: ParsedInbound,
  attempt: ReturnType<typeof findAttemptByRef>,
  now: number,
): InboundResult {
  const base = { parsed, needsStatusQuery: false, duplicate: false };
  if (!attempt) return { ...base, rejected: 'unknown_bill', reply: rejected(provider, 404, 'unknown_bill', 'Unknown bill', parsed) };
  const payment = loadPayment(deps.db, attempt.paymentId);
  if (!isPayable(payment.status) || now >= payment.expiresAt) {
    return {
      ...base,
      attemptId: attempt.id,
      rejected: 'not_payable',
      reply: rejected(provider, 409, 'not_payable', `This bill is ${payment.status === 'awaiting' ? 'expired' : payment.status}`, parsed),
    };
  }
  const claimed = parsed.fact?.amountMinor;
  if (claimed !== attempt.amountMinor || (parsed.fact?.currency && parsed.fact.currency !== attempt.currency)) {
    return {
      ...base,
      attemptId: attempt.id,
      rejected: 'amount_mismatch',
      reply: rejected(provider, 409, 'amount_mismatch', 'The amount does not match the bill', parsed),
    };
  }
  return { ...base, attemptId: attempt.id, reply: provider.replyFor({ kind: 'accepted' }, parsed) };
}
