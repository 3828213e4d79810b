import { findAccount } from '../accounts/account-store.ts';
import type { PayPageDeps } from './deps.ts';

/** Who the customer pays, as the page names them: the merchant name from the settings, else the account's name or subdomain. */
export function merchantName(deps: PayPageDeps, accountId: number): string {
  const acc = findAccount(deps.db, accountId);
  if (!acc) return '';
  return acc.settings.merchantName ?? acc.name ?? acc.subdomain;
}
