import { settingsSchema, type Settings } from '../../shared/api.ts';

/** Settings without providers: what `accounts.settings` holds (providers live in provider_configs). */
export type AccountSettings = Omit<Settings, 'providers'>;

const storedSchema = settingsSchema.omit({ providers: true });

/** `accounts.settings` as stored, keys this server does not manage included; `{}` when unreadable. */
export function storedSettingsObject(json: string | null | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json || '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The account's stored settings with the defaults filled in. A field that no longer validates (an
 * older format, a hand edit) falls back to its default instead of breaking every call.
 */
export function parseAccountSettings(json: string | null | undefined): AccountSettings {
  const raw = storedSettingsObject(json);
  const known = Object.fromEntries(Object.entries(raw).filter(([k]) => k in storedSchema.shape));
  const whole = storedSchema.safeParse(known);
  if (whole.success) return whole.data;
  // Keep every field that is valid on its own.
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(known)) {
    const one = storedSchema.safeParse({ [key]: value });
    if (one.success) kept[key] = value;
  }
  return storedSchema.parse(kept);
}
