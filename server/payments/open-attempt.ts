import { and, eq, sql } from 'drizzle-orm';
import { decideAttemptOpened } from '../../shared/transitions.ts';
import { attempts, auditEntries, payments, providerConfigs } from '../db/schema.ts';
import { ConflictError, ValidationError } from '../errors/app-error.ts';
import type { Redirect } from '../providers/provider.ts';
import { queueLeadUpdate } from '../sync/outbox.ts';
import type { LedgerDeps } from './deps.ts';
import { newId } from './ids.ts';
import { loadPayment } from './load-payment.ts';
import { paymentStateOf, type AttemptRow } from './payment-state.ts';

/** First status query for a new attempt; the reconciler's back-off continues from there. */
export const FIRST_CHECK_DELAY_MS = 60_000;

const REFUSALS = {
  already_paid: 'This payment is already paid; no new payment session is opened.',
  expired: 'This payment link has expired. Ask the manager for a new link.',
  cancelled: 'This payment link was cancelled. Ask the manager for a new link.',
} as const;

/**
 * Opens an attempt: a fresh provider order number from the account's per-provider counter, status
 * `created`. A failed payment goes back to awaiting. The provider session is created afterwards,
 * outside this transaction (no HTTP inside a SQLite transaction).
 */
export function openAttempt(
  deps: LedgerDeps,
  input: { paymentId: string; provider: string; orderNo: (counter: number, attemptId: string) => string },
): AttemptRow {
  const now = deps.clock.now();
  return deps.db.transaction((tx) => {
    const payment = loadPayment(tx, input.paymentId);
    const offered = JSON.parse(payment.providers) as string[];
    if (!offered.includes(input.provider)) {
      throw new ValidationError(
        'provider_not_offered',
        `${input.provider} is not offered for this payment; choose one of ${offered.join(', ')}`,
      );
    }
    const decided = decideAttemptOpened(paymentStateOf(payment), now);
    if ('refused' in decided) throw new ConflictError(`payment_${decided.refused}`, REFUSALS[decided.refused]);

    const counterRow = tx
      .update(providerConfigs)
      .set({ orderCounter: sql`${providerConfigs.orderCounter} + 1` })
      .where(and(eq(providerConfigs.accountId, payment.accountId), eq(providerConfigs.provider, input.provider)))
      .returning({ counter: providerConfigs.orderCounter })
      .get();
    if (!counterRow) {
      throw new ConflictError(
        'provider_not_configured',
        `${input.provider} is not configured for this account; an admin must set it up in the widget settings.`,
      );
    }
    const attemptId = newId('att', now);
    const seqRow = tx
      .select({ seq: sql<number>`coalesce(max(${attempts.seq}), 0)` })
      .from(attempts)
      .where(eq(attempts.paymentId, payment.id))
      .get();
    const attempt = tx
      .insert(attempts)
      .values({
        id: attemptId,
        paymentId: payment.id,
        accountId: payment.accountId,
        provider: input.provider,
        providerOrderNo: input.orderNo(counterRow.counter, attemptId),
        status: 'created',
        amountMinor: payment.amountMinor,
        currency: payment.currency,
        nextCheckAt: now + FIRST_CHECK_DELAY_MS,
        seq: (seqRow?.seq ?? 0) + 1,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    if (decided.payment.status !== payment.status) {
      tx.update(payments).set({ status: decided.payment.status, updatedAt: now }).where(eq(payments.id, payment.id)).run();
      queueLeadUpdate(tx, { accountId: payment.accountId, leadId: payment.leadId, paymentId: payment.id, now });
    }
    tx.insert(auditEntries)
      .values({
        accountId: payment.accountId,
        paymentId: payment.id,
        at: now,
        actor: 'customer',
        action: 'attempt_opened',
        details: JSON.stringify({ attemptId, provider: input.provider, providerOrderNo: attempt.providerOrderNo }),
      })
      .run();
    return attempt;
  });
}

/** The provider accepted the session: remember its id and redirect so a reload reuses it. */
export function recordSessionCreated(
  deps: LedgerDeps,
  input: { attemptId: string; providerPaymentId?: string; redirect: Redirect; sessionExpiresAt: number },
): void {
  const now = deps.clock.now();
  deps.db
    .update(attempts)
    .set({
      status: sql`CASE WHEN ${attempts.status} = 'created' THEN 'pending' ELSE ${attempts.status} END`,
      providerPaymentId: input.providerPaymentId ?? null,
      redirect: JSON.stringify(input.redirect),
      sessionExpiresAt: input.sessionExpiresAt,
      updatedAt: now,
    })
    .where(eq(attempts.id, input.attemptId))
    .run();
}

/**
 * The provider refused to open a session (bad credentials, amount rules). The attempt is closed as
 * cancelled: the customer did not fail a payment, so the payment's status does not change.
 */
export function recordSessionRefused(deps: LedgerDeps, input: { attemptId: string; reason: string }): void {
  const now = deps.clock.now();
  deps.db
    .update(attempts)
    .set({ status: 'cancelled', rawStatus: `create_failed: ${input.reason}`.slice(0, 500), nextCheckAt: null, updatedAt: now })
    .where(and(eq(attempts.id, input.attemptId), eq(attempts.status, 'created')))
    .run();
}
