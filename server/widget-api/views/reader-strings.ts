import type { Request } from 'express';
import { accountLanguage, toAccountLanguage } from '../../accounts/account-language.ts';
import type { Account } from '../../accounts/account.ts';
import { ledgerStrings } from '../../sync/render/ledger-strings.ts';
import type { LedgerStrings } from '../../sync/render/strings.ts';

/**
 * The language a widget reader gets exception texts in: `?lang=` (the widget sends amoCRM's
 * interface language of the user), else the account's language.
 */
export function readerStrings(req: Request, account: Pick<Account, 'settings' | 'baseDomain'>): LedgerStrings {
  return ledgerStrings(toAccountLanguage(req.query.lang) ?? accountLanguage(account));
}
