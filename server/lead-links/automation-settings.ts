import { majorToMinor, type Currency } from '../../shared/money.ts';
import { providerNameSchema } from '../../shared/api.ts';
import type { LinkParams } from './link-params.ts';

/**
 * What an admin may set where automation makes a link (docs/architecture.md, Links made by
 * automation): the Digital Pipeline action's quick settings and the Salesbot designer step's
 * settings use the same names (the manifest and the widget too): the amount (`lead_price` or
 * `fixed` with `fixed_amount`), the payment methods (provider codes separated by commas, empty:
 * every enabled one) and the link's lifetime in hours (empty: the account's settings). amoCRM sends
 * them back as strings, whatever the form showed; numbers are read as their text.
 */
export const AUTOMATION_SETTING_KEYS = {
  amount: 'amount_source',
  fixed: 'fixed_amount',
  providers: 'providers',
  hours: 'lifetime_hours',
} as const;

/** The link request's params, or which setting cannot be used (the request then fails with `invalid_params`). */
export function automationParams(settings: Record<string, unknown>, currency: Currency, actor: string): LinkParams | { invalid: string } {
  const text = (k: string) => {
    const v = settings[k];
    return typeof v === 'string' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
  };
  const params: LinkParams = { amount: { mode: 'lead_price' }, actor };
  if (text(AUTOMATION_SETTING_KEYS.amount) === 'fixed') {
    const minor = majorToMinor(text(AUTOMATION_SETTING_KEYS.fixed).replace(/\s/g, ''), currency);
    if (!minor) return { invalid: 'fixed_amount' };
    params.amount = { mode: 'fixed', amountMinor: minor };
  }
  const providers = text(AUTOMATION_SETTING_KEYS.providers)
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (providers.length) {
    const known = providers.filter((p) => providerNameSchema.safeParse(p).success) as NonNullable<LinkParams['providers']>;
    if (known.length === 0) return { invalid: 'providers' };
    params.providers = known;
  }
  const hours = text(AUTOMATION_SETTING_KEYS.hours);
  if (hours) {
    const n = Number(hours);
    if (!Number.isInteger(n) || n < 1 || n > 24 * 90) return { invalid: 'lifetime_hours' };
    params.expiresInHours = n;
  }
  return params;
}
