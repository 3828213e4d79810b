import type { Currency } from '../../shared/money.ts';
import type { Step } from '../db/step.ts';
import type { Store } from '../db/store.ts';
import type { Tx } from '../db/tx.ts';
import { createPaymentInTx } from '../payments/create-payment.ts';
import { leadPaymentsNewestFirst } from '../payments/lead-payments.ts';
import { loadPayment } from '../payments/load-payment.ts';
import type { ProviderName } from '../providers/provider.ts';
import { botAnswerFor, botErrorAnswer, type BotAnswer } from '../salesbot/bot-answer.ts';
import { queueBotContinue, queueNote } from '../sync/outbox.ts';
import { decideLink, type LeadFacts, type Offer } from './decide-link.ts';
import { parseLinkParams, returnPathOf } from './link-params.ts';
import { currentLinkRequest, failLinkRequest, finishLinkRequest, type LinkRequestRow } from './link-request-store.ts';

/** What the runner learned about the lead and the account before settling (all read outside the transaction). */
export interface SettleFacts {
  lead: LeadFacts;
  currency: Currency;
  offer: Offer;
  /** The providers a new link offers (already narrowed to the trigger's choice). */
  providers: ProviderName[];
  linkTtlHours: number;
}

export type SettleResult =
  | { outcome: 'created' | 'reused' | 'skipped'; paymentId: string; reason?: string }
  | { outcome: 'failed'; reason: string }
  /** Settled meanwhile by another worker: nothing done. */
  | { outcome: 'gone' };

/**
 * Settles one request in one synchronous transaction (docs/architecture.md, Links made by
 * automation): the decision, the link (with its audit entry, note and lead update), the request's
 * outcome, and what goes back to amoCRM: a Salesbot step's answer, or a note saying why no link was
 * made. A request settled meanwhile (a claim that expired under a slow worker) is left as it is.
 */
export function settleLinkRequest(
  deps: { store: Store; now: number; publicUrl: string },
  request: LinkRequestRow,
  facts: SettleFacts,
): Promise<SettleResult> {
  return deps.store.transaction(function* (tx): Step<SettleResult> {
    const current = yield* currentLinkRequest(tx, request.id);
    if (!current || current.state !== 'in_flight') return { outcome: 'gone' } as const;
    const result = yield* decideAndAct(tx, deps, current, facts);
    yield* answer(tx, deps, current, result);
    return result;
  });
}

/**
 * A request that cannot be settled on facts (amoCRM could not be asked, the account is gone): failed
 * with `reason`, and answered like any other (the bot learns it, the lead gets its note).
 */
export async function failLinkRequestNow(
  deps: { store: Store; now: number; publicUrl: string },
  request: LinkRequestRow,
  reason: string,
): Promise<void> {
  await deps.store.transaction(function* (tx) {
    const current = yield* currentLinkRequest(tx, request.id);
    if (!current || current.state !== 'in_flight') return;
    yield* answer(tx, deps, current, yield* fail(tx, current, reason, deps.now));
  });
}

function* decideAndAct(tx: Tx, deps: { now: number; publicUrl: string }, req: LinkRequestRow, facts: SettleFacts): Step<SettleResult> {
  const { now } = deps;
  const params = parseLinkParams(req.params);
  if (!params) return yield* fail(tx, req, 'invalid_params', now);
  const decision = decideLink({
    source: req.source,
    lead: facts.lead,
    payments: yield* leadPaymentsNewestFirst(tx, req.accountId, req.leadId),
    amount: params.amount,
    currency: facts.currency,
    offer: facts.offer,
    now,
  });
  if (decision.kind === 'fail') return yield* fail(tx, req, decision.reason, now);
  if (decision.kind === 'reuse' || decision.kind === 'skip') {
    const outcome = decision.kind === 'reuse' ? 'reused' : 'skipped';
    const reason = decision.kind === 'skip' ? decision.reason : null;
    yield* finishLinkRequest(tx, req.id, { outcome, reason, paymentId: decision.paymentId, now });
    return { outcome, paymentId: decision.paymentId, ...(reason ? { reason } : {}) };
  }
  const payment = yield* createPaymentInTx(tx, now, {
    accountId: req.accountId,
    leadId: req.leadId,
    amountMinor: decision.amountMinor,
    currency: facts.currency,
    providers: facts.providers,
    expiresInHours: params.expiresInHours ?? facts.linkTtlHours,
    createdBy: params.actor,
    createdByName: params.actorName,
    publicUrl: deps.publicUrl,
    origin: { kind: req.source },
  });
  yield* finishLinkRequest(tx, req.id, { outcome: 'created', paymentId: payment.id, now });
  return { outcome: 'created', paymentId: payment.id };
}

function* fail(tx: Tx, req: LinkRequestRow, reason: string, now: number): Step<SettleResult> {
  yield* failLinkRequest(tx, req.id, { reason, now });
  return { outcome: 'failed', reason };
}

/** A Salesbot step always gets an answer; a pipeline trigger or bot that made no link leaves a note on the lead. */
function* answer(tx: Tx, deps: { now: number; publicUrl: string }, req: LinkRequestRow, result: SettleResult): Step<void> {
  if (result.outcome === 'gone') return;
  const where = { accountId: req.accountId, leadId: req.leadId, now: deps.now };
  if (req.source === 'salesbot') {
    const path = returnPathOf(req.params);
    const data: BotAnswer =
      result.outcome === 'failed' ? botErrorAnswer(result.reason) : botAnswerFor(yield* loadPayment(tx, result.paymentId), deps.publicUrl);
    if (path)
      yield* queueBotContinue(tx, { ...where, paymentId: 'paymentId' in result ? result.paymentId : null, continued: { path, data } });
  }
  if (result.outcome === 'failed' && req.source !== 'bulk' && result.reason !== 'lead_not_found') {
    const note = {
      eventKey: `link_request:${req.id}`,
      automation: { type: 'link_not_created' as const, source: req.source, reason: result.reason },
    };
    yield* queueNote(tx, { ...where, note });
  }
}
