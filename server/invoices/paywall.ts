import { isMoneyTaken, isPayable } from '../../shared/status.ts';
import type { Currency } from '../../shared/money.ts';
import type { AccountContext, AccountContexts } from '../accounts/account-context.ts';
import { standingOf } from '../accounts/account-standing.ts';
import { AmocrmError } from '../amocrm/errors.ts';
import { isAppError } from '../errors/app-error.ts';
import { offerFor } from '../lead-links/lead-facts.ts';
import { recordObservation, type Observation } from '../observations/observation-store.ts';
import { cancelPayment } from '../payments/cancel-payment.ts';
import type { PaymentRow } from '../payments/payment-state.ts';
import type { PayPageDeps } from '../pay-page/deps.ts';
import type { ProviderName } from '../providers/provider.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import { withDeadline } from '../widget-api/deadline.ts';
import { readInvoice, type ReadInvoice } from './invoice-lookup.ts';
import { invoiceFacts, invoiceTotal } from './invoice-reading.ts';
import { invoicePaymentsOf } from './invoice-payments-store.ts';
import { openInvoicePayment } from './open-invoice-payment.ts';
import type { PaywallRefusal } from './paywall-pages.ts';

export type PaywallDeps = PayPageDeps & { accounts: AccountContexts; registry: ProviderRegistry };

export type PaywallResult =
  | { kind: 'refused'; refusal: PaywallRefusal }
  /** One of our payments of this invoice took the money: its page says so. */
  | { kind: 'closed'; payment: PaymentRow }
  /** amoCRM shows the invoice paid (paid some other way). */
  | { kind: 'paid_elsewhere' }
  | { kind: 'pay'; payment: PaymentRow };

/** How long a customer waits for amoCRM before the page says to try again shortly. */
const AMOCRM_DEADLINE_MS = 8_000;

/**
 * GET /paywall/:accountId/:invoiceId/:methodCode, before the provider (docs/architecture.md,
 * Invoices): the account and the method must be usable, the invoice is read from amoCRM each time
 * (it may have been deleted or changed), and the invoice's one live payment is found or opened.
 * A live payment whose amount no longer matches the invoice is cancelled and a new one opened.
 */
export async function paymentForInvoice(
  deps: PaywallDeps,
  input: { accountId: number; invoiceId: number; method: string },
): Promise<PaywallResult> {
  const ctx = await deps.accounts.load(input.accountId);
  const standing = ctx ? standingOf(ctx.account, deps.clock.now()).kind : 'disconnected';
  if (!ctx || standing === 'disconnected' || standing === 'needs_reconnect') return { kind: 'refused', refusal: 'not_found' };
  if (standing === 'blocked') return { kind: 'refused', refusal: 'unavailable' };
  const currency = ctx.settings.defaultCurrency as Currency;
  const { names } = await offerFor(deps, ctx.accountId, currency);
  if (!names.includes(input.method as ProviderName)) return { kind: 'refused', refusal: 'method_unavailable' };
  const note = (fields: Observation) =>
    deps.store.transaction((tx) =>
      recordObservation(tx, ctx.accountId, 'paywall', { lastVisitAt: deps.clock.now(), ...fields }, deps.clock.now()),
    );
  let invoice: ReadInvoice;
  try {
    invoice = await withDeadline(readInvoice(deps.store, ctx, input.invoiceId), AMOCRM_DEADLINE_MS);
  } catch (err) {
    await note({ lastErrorCode: isAppError(err) || err instanceof AmocrmError ? (err as { code: string }).code : 'error' });
    return { kind: 'refused', refusal: 'unavailable' };
  }
  if (!invoice) {
    await note({ lastRefusal: 'not_found' });
    return { kind: 'refused', refusal: 'not_found' };
  }
  const facts = invoiceFacts(invoice.element);
  await note({ catalogFoundBy: invoice.foundBy, currencyHint: facts.currencyHint, lastErrorCode: null });
  const ours = await deps.store.run((tx) => invoicePaymentsOf(tx, ctx.accountId, input.invoiceId));
  const holding = ours.find((r) => isMoneyTaken(r.payment.status) && r.payment.status !== 'refunded');
  if (holding) return { kind: 'closed', payment: holding.payment };
  if (ours[0]?.payment.status === 'refunded') return { kind: 'refused', refusal: 'refunded' };
  if (facts.status === 'paid') return { kind: 'paid_elsewhere' };
  const total = invoiceTotal(facts, currency);
  if (!total.ok) {
    await note({ lastRefusal: total.reason, lastRefusalAt: deps.clock.now() });
    return { kind: 'refused', refusal: 'cannot_pay' };
  }
  const live = ours[0] && isPayable(ours[0].payment.status) && ours[0].payment.expiresAt > deps.clock.now() ? ours[0].payment : undefined;
  if (live && live.amountMinor === total.amountMinor && live.currency === currency) return { kind: 'pay', payment: live };
  if (live) await cancelPayment(deps, { paymentId: live.id, accountId: ctx.accountId, actor: 'paywall' });
  const leadId = await leadOf(ctx, invoice.catalogId, input.invoiceId, note);
  const payment = await openInvoicePayment(deps, {
    accountId: ctx.accountId,
    invoiceId: input.invoiceId,
    catalogId: invoice.catalogId,
    name: facts.name,
    leadId,
    amountMinor: total.amountMinor,
    currency,
    providers: names,
    expiresInHours: ctx.settings.linkTtlHours,
    generation: (ours[0]?.generation ?? 0) + 1,
  });
  return { kind: 'pay', payment };
}

/**
 * The lead the invoice is linked to (an invoice made from a lead card is), or 0 for an invoice made
 * from the list. The lookup is an endpoint only amoCRM's PHP library documents: when it fails the
 * payment still goes ahead without a lead, and doctor reports the failure.
 */
async function leadOf(ctx: AccountContext, catalogId: number, invoiceId: number, note: (f: Observation) => Promise<void>): Promise<number> {
  try {
    const ids = await withDeadline(ctx.amocrm.invoices.leadIds(catalogId, invoiceId), AMOCRM_DEADLINE_MS);
    await note({ linksOk: true, linksErrorCode: null });
    return ids[0] ?? 0;
  } catch (err) {
    await note({
      linksOk: false,
      linksErrorCode: err instanceof AmocrmError || isAppError(err) ? (err as { code: string }).code : 'error',
    });
    return 0;
  }
}
