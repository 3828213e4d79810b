import type { CreatePaymentBody } from '../../../shared/api.ts';
import { isCurrency, isValidAmountMinor, majorToMinor, type Currency } from '../../../shared/money.ts';
import type { FormValues } from '../dom.ts';
import type { Msg } from './panel-state.ts';

export const MAX_DESCRIPTION = 500;
export const MAX_HOURS = 24 * 90;

export type Parsed<B> = { ok: true; body: B } | { ok: false; errors: Record<string, Msg> };

/** Managers type "1 900,50": spaces (also non-breaking ones from copy-paste) are grouping, not input errors. */
export function parseAmount(text: string, currency: Currency): number | undefined {
  const minor = majorToMinor(text.replace(/[\s\u00a0\u202f]/g, ''), currency);
  return isValidAmountMinor(minor) ? minor : undefined;
}

/**
 * Checks the create form the way the server will (shared/api.ts createPaymentBodySchema) so a
 * mistake is shown next to its field instead of as a 400. `providers` is undefined when the server
 * did not say which are enabled; the field is then left to the server's default.
 */
export function parseCreateForm(v: FormValues, providers: readonly string[] | undefined): Parsed<CreatePaymentBody> {
  const errors: Record<string, Msg> = {};
  const currency: Currency = isCurrency(v.currency) ? v.currency : 'AMD';
  const amountMinor = parseAmount(String(v.amount ?? ''), currency);
  if (amountMinor === undefined) errors.amount = { key: 'errors.amount' };
  const description = String(v.description ?? '').trim();
  if (description.length > MAX_DESCRIPTION) errors.description = { key: 'errors.description', vars: { max: MAX_DESCRIPTION } };
  const chosen = providers?.filter((p) => v[`provider.${p}`] === true);
  if (chosen && chosen.length === 0) errors.providers = { key: 'errors.providers' };
  const hoursText = String(v.hours ?? '').trim();
  const hours = /^\d+$/.test(hoursText) ? Number(hoursText) : NaN;
  if (!(hours >= 1 && hours <= MAX_HOURS)) errors.hours = { key: 'errors.hours', vars: { max: MAX_HOURS } };
  if (Object.keys(errors).length > 0 || amountMinor === undefined) return { ok: false, errors };
  const body: CreatePaymentBody = { amountMinor, currency, expiresInHours: hours };
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
