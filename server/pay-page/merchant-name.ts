import { eq } from 'drizzle-orm';
import { accounts } from '../db/schema.ts';
import type { PayPageDeps } from './deps.ts';

/** Who the customer pays, as the page names them: the merchant name from the settings, else the account's name or subdomain. */
export function merchantName(deps: PayPageDeps, accountId: number): string {
  const acc = deps.db
    .select({ name: accounts.name, settings: accounts.settings, subdomain: accounts.subdomain })
    .from(accounts)
    .where(eq(accounts.id, accountId))
    .get();
  if (!acc) return '';
  const settings = JSON.parse(acc.settings) as { merchantName?: string };
  return settings.merchantName ?? acc.name ?? acc.subdomain;
}
