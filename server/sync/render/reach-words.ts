import type { PaymentOrigin } from '../../payments/ledger-events.ts';

/**
 * The words of links that reach the customer without a manager's click (docs/architecture.md, Links
 * made by automation): the note when amoCRM's invoice page, a pipeline trigger, a Salesbot or a bulk
 * run made a link, the note when dramlink had a Salesbot send it, the note when automation could
 * not make one, and the ready message a manager copies for the customer. One table per language.
 */
export interface ReachWords {
  /** The "link created" note for a link that came from `origin`; `actor` is who, in words. */
  created(origin: PaymentOrigin, money: string, actor: string, link: string | undefined): string;
  /** The note when amoCRM accepted the start of the account's Salesbot for the lead. */
  sentBySalesbot(money: string, actor: string, botId: number): string;
  /** The note when a pipeline trigger or a bot step could not make a link, and why. */
  linkNotCreated(source: 'pipeline' | 'salesbot', reason: string): string;
  /** Why automation made no link, as a phrase (keys: the reasons of server/lead-links/decide-link.ts). */
  reasons: Record<string, string>;
  /** The message a manager copies from the card and sends to the customer. */
  customerMessage(input: { merchant: string; money: string; link: string; until: string }): string;
}

/** A reason in words, or the code itself when this version has no words for it. */
export const reasonText = (w: ReachWords, reason: string): string => w.reasons[reason] ?? reason;

const LOCALES: Record<string, string> = { ru: 'ru-RU', en: 'en-GB', es: 'es-ES', pt: 'pt-BR' };

/** A link's expiry for the customer's message, on Yerevan's clock (where the merchants are). */
export function untilText(ms: number, language: string): string {
  return new Intl.DateTimeFormat(LOCALES[language] ?? 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Asia/Yerevan' }).format(
    new Date(ms),
  );
}
