import { eq } from 'drizzle-orm';
import type { Step } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';
import type { PaymentRow } from '../payments/payment-state.ts';
import type { PayPageDeps } from './deps.ts';
import { merchantName } from './merchant-name.ts';
import type { PayView } from './templates.ts';

/** A payment as the pay page shows it: the row, with who is paid and what the account still offers, read once. */
export interface PagePayment extends PaymentRow {
  merchant: string;
  enabledProviders: readonly string[];
}

/** The payment with what its page needs besides the row. */
export async function pagePaymentOf(deps: PayPageDeps, p: PaymentRow): Promise<PagePayment> {
  const [merchant, enabledProviders] = await Promise.all([
    deps.store.run((tx) => merchantName(tx, p.accountId)),
    deps.providers.enabledNames(p.accountId),
  ]);
  return { ...p, merchant, enabledProviders };
}

function* byToken(tx: Tx, token: string): Step<PaymentRow | undefined> {
  const { payments } = tx.t;
  return yield* tx.get(tx.select().from(payments).where(eq(payments.linkToken, token)));
}

/** The payment a link token points at; a token of the wrong shape is not looked up at all. */
export async function paymentByToken(deps: PayPageDeps, token: string): Promise<PagePayment | undefined> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return undefined;
  const row = await deps.store.run((tx) => byToken(tx, token));
  return row ? pagePaymentOf(deps, row) : undefined;
}

/** The providers the manager chose for this payment that the account still has enabled. */
export function offeredProviders(_deps: PayPageDeps, p: PagePayment): string[] {
  const enabled = new Set(p.enabledProviders);
  return (JSON.parse(p.providers) as string[]).filter((name) => enabled.has(name));
}

/** What every pay page shows about the payment. */
export function payViewOf(_deps: PayPageDeps, p: PagePayment): PayView {
  return {
    merchant: p.merchant,
    amountMinor: p.amountMinor,
    currency: p.currency,
    description: p.description,
    expiresAt: p.expiresAt,
    paidAt: p.paidAt,
    refundedAmountMinor: p.refundedAmountMinor,
  };
}
