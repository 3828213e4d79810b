import { and, eq, sql } from 'drizzle-orm';
import type { Step } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';
import { ConflictError, ValidationError } from '../errors/app-error.ts';
import type { Redirect } from '../providers/provider.ts';
import { queueLeadUpdate } from '../sync/outbox.ts';
import type { LedgerDeps } from './deps.ts';
import { newId } from './ids.ts';
import { loadPayment } from './load-payment.ts';
import { paymentStateOf, type AttemptRow, type PaymentRow } from './payment-state.ts';
import { recordAudit } from './record-events.ts';
import { decideAttemptOpened } from './rules/decide-attempt-opened.ts';

/** First status query for a new attempt; the reconciler's back-off continues from there. */
export const FIRST_CHECK_DELAY_MS = 60_000;

const REFUSALS = {
  already_paid: 'This payment is already paid; no new payment session is opened.',
  expired: 'This payment link has expired. Ask the manager for a new link.',
  cancelled: 'This payment link was cancelled. Ask the manager for a new link.',
} as const;

export interface OpenAttemptInput {
  paymentId: string;
  provider: string;
  orderNo: (counter: number, attemptId: string) => string;
}

/**
 * Opens an attempt: a fresh provider order number from the account's per-provider counter, status
 * `created`. A failed payment goes back to awaiting. The provider session is created afterwards,
 * outside this transaction (no HTTP inside a transaction).
 */
export function openAttempt(deps: LedgerDeps, input: OpenAttemptInput): Promise<AttemptRow> {
  const now = deps.clock.now();
  return deps.store.transaction(function* (tx) {
    const payment = yield* loadPayment(tx, input.paymentId, { lock: true });
    const offered = JSON.parse(payment.providers) as string[];
    if (!offered.includes(input.provider)) {
      throw new ValidationError(
        'provider_not_offered',
        `${input.provider} is not offered for this payment; choose one of ${offered.join(', ')}`,
      );
    }
    const decided = decideAttemptOpened(paymentStateOf(payment), now);
    if ('refused' in decided) throw new ConflictError(`payment_${decided.refused}`, REFUSALS[decided.refused]);
    const attempt = yield* insertAttempt(tx, payment, input, now);
    if (decided.payment.status !== payment.status) {
      const { payments } = tx.t;
      yield* tx.run(tx.update(payments).set({ status: decided.payment.status, updatedAt: now }).where(eq(payments.id, payment.id)));
      yield* queueLeadUpdate(tx, { accountId: payment.accountId, leadId: payment.leadId, paymentId: payment.id, now });
    }
    yield* recordAudit(
      tx,
      { payment, actor: 'customer', now },
      {
        type: 'attempt_opened',
        attemptId: attempt.id,
        provider: input.provider,
        providerOrderNo: attempt.providerOrderNo,
      },
    );
    return attempt;
  });
}

function* insertAttempt(tx: Tx, payment: PaymentRow, input: OpenAttemptInput, now: number): Step<AttemptRow> {
  const { attempts } = tx.t;
  const counter = yield* nextOrderCounter(tx, payment.accountId, input.provider);
  const attemptId = newId('att', now);
  const seqRow = yield* tx.get(
    tx
      .select({ seq: sql<number>`coalesce(max(${attempts.seq}), 0)` })
      .from(attempts)
      .where(eq(attempts.paymentId, payment.id)),
  );
  const row = yield* tx.get(
    tx
      .insert(attempts)
      .values({
        id: attemptId,
        paymentId: payment.id,
        accountId: payment.accountId,
        provider: input.provider,
        providerOrderNo: input.orderNo(counter, attemptId),
        status: 'created',
        amountMinor: payment.amountMinor,
        currency: payment.currency,
        nextCheckAt: now + FIRST_CHECK_DELAY_MS,
        seq: (seqRow?.seq ?? 0) + 1,
        createdAt: now,
        updatedAt: now,
      })
      .returning(),
  );
  return row!;
}

/** The account's next order number for this provider (providers such as Ameriabank want integers). */
function* nextOrderCounter(tx: Tx, accountId: number, provider: string): Step<number> {
  const { providerConfigs } = tx.t;
  const row = yield* tx.get(
    tx
      .update(providerConfigs)
      .set({ orderCounter: sql`${providerConfigs.orderCounter} + 1` })
      .where(and(eq(providerConfigs.accountId, accountId), eq(providerConfigs.provider, provider)))
      .returning({ counter: providerConfigs.orderCounter }),
  );
  if (!row) {
    throw new ConflictError(
      'provider_not_configured',
      `${provider} is not configured for this account; an admin must set it up in the widget settings.`,
    );
  }
  return row.counter;
}

/** The provider accepted the session: remember its id and redirect so a reload reuses it. */
export async function recordSessionCreated(
  deps: LedgerDeps,
  input: { attemptId: string; providerPaymentId?: string; redirect: Redirect; sessionExpiresAt: number },
): Promise<void> {
  const now = deps.clock.now();
  await deps.store.run(function* (tx) {
    const { attempts } = tx.t;
    yield* tx.run(
      tx
        .update(attempts)
        .set({
          status: sql`CASE WHEN ${attempts.status} = 'created' THEN 'pending' ELSE ${attempts.status} END`,
          providerPaymentId: input.providerPaymentId ?? null,
          redirect: JSON.stringify(input.redirect),
          sessionExpiresAt: input.sessionExpiresAt,
          updatedAt: now,
        })
        .where(eq(attempts.id, input.attemptId)),
    );
  });
}

/**
 * The provider refused to open a session (bad credentials, amount rules). The attempt is closed as
 * cancelled: the customer did not fail a payment, so the payment's status does not change. Like any
 * answer that moves an attempt, it clears a review flag the attempt had.
 */
export async function recordSessionRefused(deps: LedgerDeps, input: { attemptId: string; reason: string }): Promise<void> {
  const now = deps.clock.now();
  await deps.store.run(function* (tx) {
    const { attempts } = tx.t;
    yield* tx.run(
      tx
        .update(attempts)
        .set({
          status: 'cancelled',
          rawStatus: `create_failed: ${input.reason}`.slice(0, 500),
          flaggedReason: null,
          flaggedRawStatus: null,
          nextCheckAt: null,
          updatedAt: now,
        })
        .where(and(eq(attempts.id, input.attemptId), eq(attempts.status, 'created'))),
    );
  });
}
