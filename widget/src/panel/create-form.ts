import type { CreatePaymentBody } from '../../../shared/api.ts';
import { CURRENCIES, formatMoney, isCurrency, majorToMinor, MAX_AMOUNT_MINOR, type Currency } from '../../../shared/money.ts';
import type { FormValues } from '../dom.ts';
import type { Msg } from './panel-state.ts';

export const MAX_DESCRIPTION = 500;
export const MAX_HOURS = 24 * 90;

export type Parsed<B> = { ok: true; body: B } | { ok: false; errors: Record<string, Msg> };

/**
 * Managers type "1 900,50": spaces (also non-breaking ones from copy-paste) are grouping. The
 * answer says what is wrong: not an amount, too many decimals for the currency, or above the
 * largest amount dramlink takes.
 */
export function readAmount(text: string, currency: Currency): { minor: number } | { error: Msg } {
  const clean = text.replace(/[\s\u00a0\u202f]/g, '');
  if (!/^\d+(?:[.,]\d+)?$/.test(clean)) return { error: { key: 'errors.amount' } };
  const decimals = CURRENCIES[currency].exponent;
  if ((clean.split(/[.,]/)[1] ?? '').replace(/0+$/, '').length > decimals)
    return { error: { key: 'errors.amount_decimals', vars: { decimals } } };
  const minor = majorToMinor(clean, currency);
  if (minor === undefined || minor > MAX_AMOUNT_MINOR)
    return { error: { key: 'errors.amount_max', vars: { max: formatMoney(MAX_AMOUNT_MINOR, currency) } } };
  return minor > 0 ? { minor } : { error: { key: 'errors.amount' } };
}

export function parseAmount(text: string, currency: Currency): number | undefined {
  const r = readAmount(text, currency);
  return 'minor' in r ? r.minor : undefined;
}

/** The enabled providers that take `currency` (all of them when the server did not say which take what). */
export function providersFor(
  enabled: readonly string[],
  currencies: Partial<Record<string, readonly string[]>> | undefined,
  currency: string,
): string[] {
  return enabled.filter((p) => !currencies || !currencies[p] || currencies[p]!.includes(currency));
}

/**
 * Checks the create form the way the server will (shared/api.ts createPaymentBodySchema) so a
 * mistake is shown next to its field instead of as a 400. `providers` is undefined when the server
 * did not say which are enabled; the field is then left to the server's default. Only providers
 * that take the chosen currency count.
 */
export function parseCreateForm(
  v: FormValues,
  providers: readonly string[] | undefined,
  currencies?: Partial<Record<string, readonly string[]>>,
): Parsed<CreatePaymentBody> {
  const errors: Record<string, Msg> = {};
  const currency: Currency = isCurrency(v.currency) ? v.currency : 'AMD';
  const amount = readAmount(String(v.amount ?? ''), currency);
  if ('error' in amount) errors.amount = amount.error;
  const description = String(v.description ?? '').trim();
  if (description.length > MAX_DESCRIPTION) errors.description = { key: 'errors.description', vars: { max: MAX_DESCRIPTION } };
  const chosen = providers && providersFor(providers, currencies, currency).filter((p) => v[`provider.${p}`] === true);
  if (chosen && chosen.length === 0) errors.providers = { key: 'errors.providers' };
  const hoursText = String(v.hours ?? '').trim();
  const hours = /^\d+$/.test(hoursText) ? Number(hoursText) : NaN;
  if (!(hours >= 1 && hours <= MAX_HOURS)) errors.hours = { key: 'errors.hours', vars: { max: MAX_HOURS } };
  if (Object.keys(errors).length > 0 || 'error' in amount) return { ok: false, errors };
  const body: CreatePaymentBody = { amountMinor: amount.minor, currency, expiresInHours: hours };
  if (description) body.description = description;
  if (chosen) body.providers = chosen as CreatePaymentBody['providers'];
  return { ok: true, body };
}

/** A refund is at most what is left; the manager types major units like everywhere else. */
export function parseRefundAmount(text: string, currency: string, maxMinor: number): number | undefined {
  if (!isCurrency(currency)) return undefined;
  const minor = parseAmount(text, currency);
  return minor !== undefined && minor <= maxMinor ? minor : undefined;
}
