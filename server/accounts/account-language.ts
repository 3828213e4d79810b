import { ACCOUNT_LANGUAGES, type AccountLanguage } from '../../shared/api.ts';

export type { AccountLanguage };

/** A language code amoCRM reports (`ru`, `en-US`, `pt_BR`…) as one dramlink writes in, or undefined. */
export function toAccountLanguage(code: unknown): AccountLanguage | undefined {
  const base = typeof code === 'string' ? code.trim().toLowerCase().split(/[-_]/)[0] : '';
  return (ACCOUNT_LANGUAGES as readonly string[]).includes(base) ? (base as AccountLanguage) : undefined;
}

/**
 * Before anyone chose or detected a language: Russian on amocrm.ru (amoCRM's Russian-speaking
 * market), English on amocrm.com and kommo.com.
 */
export function domainLanguage(baseDomain: string): AccountLanguage {
  return baseDomain === 'amocrm.ru' ? 'ru' : 'en';
}

/**
 * The language dramlink writes into this account's amoCRM (notes, tasks, the status field's labels)
 * and renders its exceptions in: `Settings.language` (chosen by an admin, or detected from the
 * installing admin's amoCRM language when the lead fields were first set up), else by domain.
 */
export function accountLanguage(account: { settings: { language?: AccountLanguage }; baseDomain: string }): AccountLanguage {
  return account.settings.language ?? domainLanguage(account.baseDomain);
}
