import type { Router } from 'express';
import { createPaymentBodySchema, type CreatePaymentBody } from '../../../shared/api.ts';
import { formatMoney, type Currency } from '../../../shared/money.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../errors/app-error.ts';
import { createPayment } from '../../payments/create-payment.ts';
import type { ProviderName } from '../../providers/provider.ts';
import { authOf, type WidgetAuth } from '../auth/middleware.ts';
import type { WidgetApiDeps } from '../deps.ts';
import { LEAD_READ_DEADLINE_MS, readLeadPrice, type LeadPrice } from '../lead-price.ts';
import { intParam, parseBody } from '../validate.ts';
import { loadPaymentView } from '../views/payment.ts';

/** The providers a chosen list (or, without one, every enabled provider) offers for this currency. */
async function offeredProviders(
  deps: WidgetApiDeps,
  accountId: number,
  currency: Currency,
  chosen: ProviderName[] | undefined,
): Promise<ProviderName[]> {
  const { providers, registry } = deps.services;
  const enabled = await providers.enabledNames(accountId);
  if (enabled.length === 0) {
    throw new ConflictError(
      'no_provider_enabled',
      'No payment provider is enabled for this account. An administrator enables one in the dramlink settings.',
    );
  }
  const takes = (name: ProviderName) => registry.get(name)?.caps.currencies.includes(currency) ?? false;
  if (!chosen) {
    const offered = enabled.filter(takes);
    if (offered.length === 0)
      throw new ConflictError(
        'no_provider_for_currency',
        `None of the enabled providers (${enabled.join(', ')}) takes payments in ${currency}.`,
      );
    return offered;
  }
  const notEnabled = chosen.filter((p) => !enabled.includes(p));
  if (notEnabled.length) {
    throw new ValidationError(
      'provider_not_enabled',
      `${notEnabled.join(', ')} ${notEnabled.length > 1 ? 'are' : 'is'} not enabled for this account; enabled: ${enabled.join(', ')}.`,
      { fields: notEnabled.map((p) => ({ field: 'providers', code: 'provider_not_enabled', message: `${p} is not enabled` })) },
    );
  }
  const wrongCurrency = chosen.filter((p) => !takes(p));
  if (wrongCurrency.length) {
    throw new ValidationError('provider_currency_unsupported', `${wrongCurrency.join(', ')} cannot take payments in ${currency}.`, {
      fields: wrongCurrency.map((p) => ({
        field: 'providers',
        code: 'provider_currency_unsupported',
        message: `${p} does not take ${currency}`,
      })),
    });
  }
  return chosen;
}

const amountRequired = (message: string, fieldMessage: string) =>
  new ValidationError('amount_required', message, { fields: [{ field: 'amountMinor', code: 'amount_required', message: fieldMessage }] });

/** The amount to charge when the manager gave none: the lead's price, if it is a chargeable amount. */
function amountFromLeadPrice(price: Exclude<LeadPrice, { kind: 'missing' }>, currency: Currency): number {
  if (price.kind === 'unknown') {
    if (price.error instanceof AppError) throw price.error;
    throw new AppError('amocrm_unavailable', 503, 'The lead price could not be read from amoCRM; enter the amount by hand or try again.');
  }
  if (price.kind === 'invalid') {
    throw amountRequired(
      `The lead's price (${String(price.raw)}) cannot be charged in ${currency}; enter amountMinor.`,
      'amountMinor is required: the lead price is not a chargeable amount',
    );
  }
  if (price.minor === 0) {
    throw amountRequired(
      'The lead has no price (0); enter amountMinor, the amount in minor units (e.g. 150000 for 1,500.00).',
      'amountMinor is required when the lead has no price',
    );
  }
  return price.minor;
}

/** The lead must be this account's; its price is the amount when the manager gave none. */
async function amountFor(
  deps: WidgetApiDeps,
  auth: WidgetAuth,
  leadId: number,
  body: CreatePaymentBody,
  currency: Currency,
): Promise<number> {
  const price = await readLeadPrice(deps, auth, leadId, currency, {
    deadlineMs: body.amountMinor === undefined ? undefined : LEAD_READ_DEADLINE_MS,
  });
  if (price.kind === 'missing') throw new NotFoundError('lead_not_found', `Lead ${leadId} does not exist in this amoCRM account.`);
  return body.amountMinor ?? amountFromLeadPrice(price, currency);
}

/**
 * POST /leads/:leadId/payments: a payment link for the lead. The amount is the body's, or the
 * lead's price read from amoCRM; currency and lifetime default from the settings; the providers
 * offered are a subset of the enabled ones that take the currency. The ledger writes the audit
 * entry, the "link created by …" note and the lead update (awaiting payment) in one transaction.
 */
export function createPaymentRoute(router: Router, deps: WidgetApiDeps): void {
  router.post('/leads/:leadId/payments', deps.auth, async (req, res) => {
    const auth = authOf(res);
    const leadId = intParam(req, 'leadId', 'invalid_lead_id');
    const body = parseBody(req, createPaymentBodySchema);
    const { store, config, ledger } = deps.services;
    const { settings } = auth.account;
    const currency = (body.currency ?? settings.defaultCurrency) as Currency;
    const offered = await offeredProviders(deps, auth.accountId, currency, body.providers);
    const amountMinor = await amountFor(deps, auth, leadId, body, currency);
    const row = await createPayment(ledger, {
      accountId: auth.accountId,
      leadId,
      amountMinor,
      currency,
      description: body.description ?? null,
      providers: offered,
      expiresInHours: body.expiresInHours ?? settings.linkTtlHours,
      createdBy: auth.actor,
      createdByName: await deps.userName(auth),
      publicUrl: config.publicUrl,
    });
    deps.services.logger.info('payment link created', {
      accountId: auth.accountId,
      leadId,
      paymentId: row.id,
      amount: formatMoney(amountMinor, currency),
      fromLeadPrice: body.amountMinor === undefined,
      actor: auth.actor,
    });
    const payment = await loadPaymentView(store, config.publicUrl, row.id, auth.accountId);
    res.status(201).json({ payment });
  });
}
