import { eq } from 'drizzle-orm';
import { settingsSchema, type Settings } from '../../shared/api.ts';
import type { Db } from '../db/database.ts';
import { accounts } from '../db/schema.ts';

/** Settings without providers: what `accounts.settings` holds (providers live in provider_configs). */
export type AccountSettings = Omit<Settings, 'providers'>;

export const DEFAULT_CURRENCY = 'AMD';
export const DEFAULT_LINK_TTL_HOURS = 72;

const storedSchema = settingsSchema.omit({ providers: true });

/**
 * The account's stored settings with the contract's defaults filled in. A field that no longer
 * validates (an older format, a hand edit) falls back to its default instead of breaking every call.
 */
export function parseAccountSettings(json: string | null | undefined): AccountSettings {
  let raw: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(json || '{}');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) raw = parsed as Record<string, unknown>;
  } catch {
    raw = {};
  }
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

export function readAccountSettings(db: Pick<Db, 'select'>, accountId: number): AccountSettings {
  const row = db.select({ settings: accounts.settings }).from(accounts).where(eq(accounts.id, accountId)).get();
  return parseAccountSettings(row?.settings);
}
