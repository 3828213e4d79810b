import type { Currency } from '../../shared/money.ts';
import { createPaymentInTx } from '../payments/create-payment.ts';
import type { LedgerDeps } from '../payments/deps.ts';
import type { PaymentRow } from '../payments/payment-state.ts';
import type { ProviderName } from '../providers/provider.ts';
import { claimInvoiceGeneration, invoicePaymentsOf } from './invoice-payments-store.ts';

class GenerationTaken extends Error {}

/**
 * In one transaction: the invoice's next payment (its audit entry, "link created" note and lead
 * update) and its claim on the invoice's next generation. When another request claimed that
 * generation first (two customers' clicks at once), nothing is written and that request's payment
 * is the invoice's live one.
 */
export async function openInvoicePayment(
  deps: LedgerDeps & { publicUrl: string },
  input: {
    accountId: number;
    invoiceId: number;
    catalogId: number;
    name: string | null;
    leadId: number;
    amountMinor: number;
    currency: Currency;
    providers: ProviderName[];
    expiresInHours: number;
    generation: number;
  },
): Promise<PaymentRow> {
  const now = deps.clock.now();
  try {
    return await deps.store.transaction(function* (tx) {
      const payment = yield* createPaymentInTx(tx, now, {
        accountId: input.accountId,
        leadId: input.leadId,
        amountMinor: input.amountMinor,
        currency: input.currency,
        description: input.name ?? `#${input.invoiceId}`,
        providers: input.providers,
        expiresInHours: input.expiresInHours,
        createdBy: 'customer:paywall',
        publicUrl: deps.publicUrl,
        origin: { kind: 'invoice', invoiceId: input.invoiceId, name: input.name },
      });
      const claimed = yield* claimInvoiceGeneration(tx, { paymentId: payment.id, ...input, now });
      if (!claimed) throw new GenerationTaken();
      return payment;
    });
  } catch (err) {
    if (!(err instanceof GenerationTaken)) throw err;
    return (await deps.store.run((tx) => invoicePaymentsOf(tx, input.accountId, input.invoiceId)))[0].payment;
  }
}
