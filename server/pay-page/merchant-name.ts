import { findAccount } from '../accounts/account-store.ts';
import type { Step } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';

/** Who the customer pays, as the page names them: the merchant name from the settings, else the account's name or subdomain. */
export function* merchantName(tx: Tx, accountId: number): Step<string> {
  const acc = yield* findAccount(tx, accountId);
  if (!acc) return '';
  return acc.settings.merchantName ?? acc.name ?? acc.subdomain;
}
