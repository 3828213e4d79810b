import type { Account } from '../accounts/account.ts';
import type { AccountAmocrm } from '../amocrm/endpoints/index.ts';
import type { Config } from '../config/config.ts';
import type { Store } from '../db/store.ts';
import type { Clock } from '../platform/clock.ts';
import type { ProviderConfigStore } from '../providers/provider-configs.ts';

/**
 * One line of `npm run doctor` and of GET /api/v1/diagnostics: a stable name (`tokens`,
 * `lead_fields`, `stage_mapping`, `installer_rights`, `rate_budget`, `provider:<name>`,
 * `token_claims`, `unverified:<topic>`), whether it passed, what was found, and what to do when it did not.
 */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

/** What every check may read; amoCRM only through `amocrm` (the stored token, never refreshed: nothing changes). */
export interface CheckContext {
  store: Store;
  clock: Clock;
  config: Config;
  account: Account;
  providers: ProviderConfigStore;
  /** amoCRM with the stored access token as is, or why it cannot be called (then checks that need it say so). */
  amocrm: AccountAmocrm | { unavailable: string };
}

export const pass = (name: string, detail: string): Check => ({ name, ok: true, detail });
export const fail = (name: string, detail: string, fix: string): Check => ({ name, ok: false, detail, fix });

/** The error of an amoCRM call, in one line. */
export function describe(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return e.code ? `${e.code}: ${e.message ?? ''}` : (e.message ?? String(err));
}

const DAY = 24 * 3_600_000;

/** "3 days ago", "2 hours ago". */
export function ago(now: number, then: number): string {
  const ms = Math.max(0, now - then);
  if (ms >= DAY) return `${Math.floor(ms / DAY)} days ago`;
  if (ms >= 3_600_000) return `${Math.floor(ms / 3_600_000)} hours ago`;
  return ms >= 60_000 ? `${Math.floor(ms / 60_000)} minutes ago` : 'just now';
}
