import { sql } from 'drizzle-orm';
import type { Step } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';
import { openException } from '../exceptions/open-exception.ts';
import { queueInvoiceSync } from '../invoices/invoice-outbox.ts';
import { queueLeadUpdate, queueNote, queueTask, type EventContext } from '../sync/outbox.ts';
import { exceptionOf } from './event-exception.ts';
import { auditEntryOf, isExceptionEvent, isNoted, type LedgerEvent } from './ledger-events.ts';
import type { PaymentRow } from './payment-state.ts';

/** Who changed a payment, when, and what a note about it needs to say. */
export interface CommitContext {
  payment: PaymentRow;
  actor: string;
  /** How notes name the actor ("Anna"); the audit keeps the stable `actor` id. */
  actorName?: string;
  now: number;
  provider?: string;
  link?: string;
}

/**
 * Audit and CRM consequences of events, in the caller's transaction: one audit entry per event, a
 * note job per noted event (the event itself, rendered when sent), an exception and a task job per
 * thing a person must handle, and the lead update. Also used alone by events that change no state
 * of their own (created, resent, refund requested).
 */
export function* recordEvents(tx: Tx, ctx: CommitContext, events: readonly LedgerEvent[]): Step<void> {
  const { payment, now } = ctx;
  const context = eventContextOf(ctx);
  const where = { accountId: payment.accountId, leadId: payment.leadId, paymentId: payment.id, now };
  // An invoice paid through amoCRM's invoice page may belong to no lead (lead id 0): nothing to write on one.
  const onLead = payment.leadId > 0;
  for (const event of events) {
    const auditId = yield* recordAudit(tx, ctx, event);
    if (onLead && isNoted(event)) yield* queueNote(tx, { ...where, note: { eventKey: `${payment.id}:${auditId}`, event, context } });
    if (!isExceptionEvent(event)) continue;
    const exception = exceptionOf(payment, event);
    if ((yield* openException(tx, { ...exception, ...where })) && onLead) {
      yield* queueTask(tx, { ...where, task: { exceptionKey: exception.key, event, context } });
    }
  }
  if (onLead) yield* queueLeadUpdate(tx, where);
  yield* queueInvoiceSync(tx, payment, events, now);
}

function eventContextOf(ctx: CommitContext): EventContext {
  return {
    amountMinor: ctx.payment.amountMinor,
    currency: ctx.payment.currency,
    actor: ctx.actor,
    ...(ctx.actorName !== undefined ? { actorName: ctx.actorName } : {}),
    ...(ctx.provider !== undefined ? { provider: ctx.provider } : {}),
    ...(ctx.link !== undefined ? { link: ctx.link } : {}),
  };
}

/** The audit entry alone, for an event with no CRM consequence of its own; returns its id. */
export function* recordAudit(tx: Tx, ctx: Pick<CommitContext, 'payment' | 'actor' | 'now'>, event: LedgerEvent): Step<number> {
  const { auditEntries } = tx.t;
  const { action, details } = auditEntryOf(event);
  const statement = tx.prepared('audit.insert', () =>
    tx
      .insert(auditEntries)
      .values({
        accountId: sql.placeholder('accountId'),
        paymentId: sql.placeholder('paymentId'),
        at: sql.placeholder('at'),
        actor: sql.placeholder('actor'),
        action: sql.placeholder('action'),
        details: sql.placeholder('details'),
      })
      .returning({ id: auditEntries.id })
      .prepare(),
  );
  const row = yield* tx.get(statement, {
    accountId: ctx.payment.accountId,
    paymentId: ctx.payment.id,
    at: ctx.now,
    actor: ctx.actor,
    action,
    details: JSON.stringify(details),
  });
  return row!.id;
}
