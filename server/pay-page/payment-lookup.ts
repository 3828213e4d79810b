import { eq } from 'drizzle-orm';
import { payments } from '../db/schema.ts';
import type { PaymentRow } from '../payments/payment-state.ts';
import type { PayPageDeps } from './deps.ts';
import { merchantName } from './merchant-name.ts';
import type { PayView } from './templates.ts';

/** The payment a link token points at; a token of the wrong shape is not looked up at all. */
export function paymentByToken(deps: PayPageDeps, token: string): PaymentRow | undefined {
  return /^[A-Za-z0-9_-]{16,64}$/.test(token) ? deps.db.select().from(payments).where(eq(payments.linkToken, token)).get() : undefined;
}

/** The providers the manager chose for this payment that the account still has enabled. */
export function offeredProviders(deps: PayPageDeps, p: PaymentRow): string[] {
  const enabled = new Set(deps.providers.enabledNames(p.accountId));
  return (JSON.parse(p.providers) as string[]).filter((name) => enabled.has(name as never));
}

/** What every pay page shows about the payment. */
export function payViewOf(deps: PayPageDeps, p: PaymentRow): PayView {
  return {
    merchant: merchantName(deps, p.accountId),
    amountMinor: p.amountMinor,
    currency: p.currency,
    description: p.description,
    expiresAt: p.expiresAt,
    paidAt: p.paidAt,
    refundedAmountMinor: p.refundedAmountMinor,
  };
}
