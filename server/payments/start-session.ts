import { and, desc, eq, gt } from 'drizzle-orm';
import { ProviderError, ProviderTimeoutError } from '../providers/errors.ts';
import type { Language, Redirect } from '../providers/provider.ts';
import { loadPayment } from './load-payment.ts';
import type { PaymentRow } from './payment-state.ts';
import { openAttempt, recordSessionCreated, recordSessionRefused } from './open-attempt.ts';
import { attemptRef, type VerifyDeps } from './verify-attempt.ts';
import type { Tx } from '../db/tx.ts';
import { acquireLease, releaseLease } from '../db/lease.ts';
import { randomUUID } from 'node:crypto';

/** A reused session must stay payable for at least this long, or a fresh one is opened. */
const REUSE_MARGIN_MS = 2 * 60_000;
/** Longer than any provider's session call: a crashed opener's lease frees itself after this. */
const OPENING_LEASE_MS = 60_000;
/** How long a second click waits for the first one's session (real time: polling the shared database). */
const WAIT_FOR_OPENER_MS = 15_000;
const POLL_MS = 100;

export type StartSessionResult =
  | { kind: 'redirect'; redirect: Redirect; attemptId: string; reused: boolean }
  | { kind: 'provider_error'; code: string; message: string; attemptId?: string };

/** The payment, and its newest pending attempt with this provider whose session stays payable long enough. */
function* paymentAndLiveSession(tx: Tx, input: { paymentId: string; provider: string }, now: number) {
  const { attempts } = tx.t;
  const payment = yield* loadPayment(tx, input.paymentId);
  const live = yield* tx.get(
    tx
      .select()
      .from(attempts)
      .where(
        and(
          eq(attempts.paymentId, payment.id),
          eq(attempts.provider, input.provider),
          eq(attempts.status, 'pending'),
          gt(attempts.sessionExpiresAt, now + REUSE_MARGIN_MS),
        ),
      )
      .orderBy(desc(attempts.seq)),
  );
  return { payment, live };
}

/**
 * The customer chose a provider: reuse a pending attempt whose provider session is still alive
 * (two clicks must not become two sessions), otherwise open a new attempt and create the provider
 * session outside any transaction. The caller has already checked the payment is payable.
 */
export async function startSession(
  deps: VerifyDeps & { publicUrl: string },
  input: { paymentId: string; provider: string; language: Language; description: string },
): Promise<StartSessionResult> {
  const lease = { name: `pay-session:${input.paymentId}:${input.provider}`, holder: randomUUID() };
  const deadline = Date.now() + WAIT_FOR_OPENER_MS;
  for (;;) {
    const now = deps.clock.now();
    const { payment, live } = await deps.store.run((tx) => paymentAndLiveSession(tx, input, now));
    if (live?.redirect) {
      return { kind: 'redirect', redirect: JSON.parse(live.redirect) as Redirect, attemptId: live.id, reused: true };
    }
    // One opener per payment and provider in every instance (a lease row): a second click, here or on
    // another instance, waits for the first one's session and reuses it instead of opening another.
    if ((await acquireLease(deps.store, { ...lease, now, ttlMs: OPENING_LEASE_MS })) || Date.now() >= deadline) {
      try {
        return await openSession(deps, input, payment, now);
      } finally {
        await releaseLease(deps.store, lease);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** A new attempt, and its provider session created outside any transaction. */
async function openSession(
  deps: VerifyDeps & { publicUrl: string },
  input: { paymentId: string; provider: string; language: Language; description: string },
  payment: PaymentRow,
  now: number,
): Promise<StartSessionResult> {
  const { provider, ctx } = await deps.providers.context(payment.accountId, input.provider);
  const attempt = await openAttempt(deps, {
    paymentId: payment.id,
    provider: input.provider,
    orderNo: (counter, attemptId) => provider.orderNo({ counter, attemptId, mode: ctx.mode, credentials: ctx.credentials }),
  });
  // The language rides along so the customer comes back to the page in the language they chose.
  const returnUrl = `${deps.publicUrl}/pay/${payment.linkToken}/return?attempt=${attempt.id}&lang=${input.language}`;
  try {
    const session = await provider.createSession(ctx, {
      attempt: attemptRef(attempt),
      description: input.description,
      language: input.language,
      returnUrl,
      failUrl: `${returnUrl}&fail=1`,
      notifyUrl: `${deps.publicUrl}/webhooks/${input.provider}/${payment.accountId}`,
      ttlSec: Math.max(60, Math.min(provider.caps.sessionTtlSec, Math.floor((payment.expiresAt - now) / 1000))),
    });
    await recordSessionCreated(deps, {
      attemptId: attempt.id,
      providerPaymentId: session.providerPaymentId,
      redirect: session.redirect,
      sessionExpiresAt: session.sessionExpiresAt,
    });
    return { kind: 'redirect', redirect: session.redirect, attemptId: attempt.id, reused: false };
  } catch (err) {
    if (err instanceof ProviderTimeoutError) {
      // The provider may have opened it anyway: the attempt stays `created` for the reconciler.
      deps.logger.warn('provider session timed out', { provider: input.provider, attemptId: attempt.id });
      return { kind: 'provider_error', code: err.code, message: err.message, attemptId: attempt.id };
    }
    const code = err instanceof ProviderError ? err.code : 'provider_unavailable';
    const message = err instanceof Error ? err.message : String(err);
    deps.logger.warn('provider refused the session', { provider: input.provider, attemptId: attempt.id, code, error: err });
    await recordSessionRefused(deps, { attemptId: attempt.id, reason: `${code}: ${message}` });
    return { kind: 'provider_error', code, message, attemptId: attempt.id };
  }
}
