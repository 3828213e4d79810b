import { eq, sql } from 'drizzle-orm';
import { ph, prepared } from '../db/prepared.ts';
import type { Decision, LedgerEvent } from '../../shared/transitions.ts';
import type { Db } from '../db/database.ts';
import { attempts, auditEntries, payments } from '../db/schema.ts';
import { openException } from '../exceptions/open-exception.ts';
import { noteText, reviewTaskText } from '../sync/note-text.ts';
import { queueLeadUpdate, queueNote, queueTask } from '../sync/outbox.ts';
import type { PaymentRow } from './payment-state.ts';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

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
 * Writes what a decision changed, inside the caller's synchronous transaction: the payment and
 * attempt rows, one audit entry per event, and the CRM consequences (lead update, a note per
 * notable event, a task and an exception per thing a person must handle).
 */
export function commitDecision(tx: Tx, ctx: CommitContext, decision: Decision): void {
  const { payment, now } = ctx;
  if (decision.events.length === 0) return;
  const p = decision.payment;
  prepared(tx, 'payment.updateState', () =>
    tx
      .update(payments)
      .set({
        status: ph('status'),
        paidAt: ph('paidAt'),
        paidAmountMinor: ph('paidAmountMinor'),
        paidAttemptId: ph('paidAttemptId'),
        providerRef: ph('providerRef'),
        refundedAmountMinor: ph('refundedAmountMinor'),
        reviewReason: ph('reviewReason'),
        reviewSince: ph('reviewSince'),
        updatedAt: ph('now'),
      })
      .where(eq(payments.id, sql.placeholder('id')))
      .prepare(),
  ).run({
    id: payment.id,
    status: p.status,
    paidAt: p.paidAt,
    paidAmountMinor: p.paidAmountMinor,
    paidAttemptId: p.paidAttemptId,
    providerRef: p.providerRef,
    refundedAmountMinor: p.refundedAmountMinor,
    reviewReason: p.reviewReason,
    reviewSince: p.reviewSince,
    now,
  });
  if (decision.attempt) {
    const a = decision.attempt;
    prepared(tx, 'attempt.updateState', () =>
      tx
        .update(attempts)
        .set({
          status: ph('status'),
          rawStatus: ph('rawStatus'),
          providerPaymentId: ph('providerPaymentId'),
          // A settled attempt needs no more status queries.
          nextCheckAt: sql`CASE WHEN ${ph('status')} IN ('created', 'pending') THEN ${attempts.nextCheckAt} ELSE NULL END`,
          updatedAt: ph('now'),
        })
        .where(eq(attempts.id, sql.placeholder('id')))
        .prepare(),
    ).run({ id: a.id, status: a.status, rawStatus: a.rawStatus, providerPaymentId: a.providerPaymentId, now });
  }
  recordEvents(tx, ctx, decision.events);
}

/** Audit + outbox for events that need no row changes of their own (created, resent) or follow one. */
export function recordEvents(tx: Tx, ctx: CommitContext, events: readonly LedgerEvent[]): void {
  const { payment, now } = ctx;
  for (const event of events) {
    const auditId = Number(
      prepared(tx, 'audit.insert', () =>
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
          .prepare(),
      ).run({
        accountId: payment.accountId,
        paymentId: payment.id,
        at: now,
        actor: ctx.actor,
        action: event.action,
        details: JSON.stringify(event.details),
      }).lastInsertRowid,
    );
    if (event.note) {
      queueNote(tx, {
        accountId: payment.accountId,
        leadId: payment.leadId,
        paymentId: payment.id,
        eventKey: `${payment.id}:${auditId}`,
        text: noteText(event.action, event.details, {
          amountMinor: payment.amountMinor,
          currency: payment.currency,
          actor: ctx.actorName ?? ctx.actor,
          provider: ctx.provider,
          link: ctx.link,
        }),
        now,
      });
    }
    if (event.exception) {
      const key = `${event.exception.kind}:${payment.id}:${event.exception.reason}`;
      const opened = openException(tx, {
        accountId: payment.accountId,
        kind: event.exception.kind,
        key,
        paymentId: payment.id,
        leadId: payment.leadId,
        message: reviewTaskText(event.exception.reason, payment.amountMinor, payment.currency),
        action:
          event.exception.kind === 'refund_failed'
            ? 'Retry the refund from the panel or refund in the provider cabinet, then check the status.'
            : 'Open the payment in the lead card, check it in the provider cabinet and settle it with the customer.',
        now,
      });
      if (opened) {
        queueTask(tx, {
          accountId: payment.accountId,
          leadId: payment.leadId,
          paymentId: payment.id,
          exceptionKey: key,
          text: reviewTaskText(event.exception.reason, payment.amountMinor, payment.currency),
          now,
        });
      }
    }
  }
  queueLeadUpdate(tx, { accountId: payment.accountId, leadId: payment.leadId, paymentId: payment.id, now });
}
