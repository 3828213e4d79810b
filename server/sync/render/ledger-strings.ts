import type { AccountLanguage } from '../../../shared/api.ts';
import { ENGLISH } from './strings-en.ts';
import { SPANISH } from './strings-es.ts';
import { PORTUGUESE } from './strings-pt.ts';
import { RUSSIAN } from './strings-ru.ts';
import type { LedgerStrings } from './strings.ts';

const TABLES: Record<AccountLanguage, LedgerStrings> = { en: ENGLISH, ru: RUSSIAN, es: SPANISH, pt: PORTUGUESE };

/** The string table of a language; anything unknown (an old stored value, a header) is English. */
export function ledgerStrings(language: string | undefined): LedgerStrings {
  return TABLES[language as AccountLanguage] ?? ENGLISH;
}
