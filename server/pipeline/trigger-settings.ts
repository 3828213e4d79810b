import { majorToMinor, type Currency } from '../../shared/money.ts';
import { providerNameSchema } from '../../shared/api.ts';
import type { LinkParams } from '../lead-links/link-params.ts';

/**
 * The quick settings of dramlink's Digital Pipeline action (the manifest's `dp.settings`, filled by
 * the widget's dpSettings view), as amoCRM sends them back in `action.settings.widget.settings`:
 * strings, whatever the form showed. One place names the keys (the manifest and the widget use the
 * same names).
 */
export const DP_SETTING_KEYS = {
  key: 'dramlink_key',
  amount: 'amount_source',
  fixed: 'fixed_amount',
  providers: 'providers',
  hours: 'lifetime_hours',
} as const;

/** What the trigger asks for, as a link request's params; an unusable value makes the request fail with `invalid_params`. */
export function triggerParams(settings: Record<string, unknown>, currency: Currency): LinkParams | { invalid: string } {
  const text = (k: string) => (typeof settings[k] === 'string' ? (settings[k] as string).trim() : '');
  const params: LinkParams = { amount: { mode: 'lead_price' }, actor: 'pipeline' };
  if (text(DP_SETTING_KEYS.amount) === 'fixed') {
    const minor = majorToMinor(text(DP_SETTING_KEYS.fixed).replace(/\s/g, ''), currency);
    if (!minor) return { invalid: 'fixed_amount' };
    params.amount = { mode: 'fixed', amountMinor: minor };
  }
  const providers = text(DP_SETTING_KEYS.providers)
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (providers.length) {
    const known = providers.filter((p) => providerNameSchema.safeParse(p).success) as NonNullable<LinkParams['providers']>;
    if (known.length === 0) return { invalid: 'providers' };
    params.providers = known;
  }
  const hours = text(DP_SETTING_KEYS.hours);
  if (hours) {
    const n = Number(hours);
    if (!Number.isInteger(n) || n < 1 || n > 24 * 90) return { invalid: 'lifetime_hours' };
    params.expiresInHours = n;
  }
  return params;
}
