import type { AccountLanguage } from '../../../shared/api.ts';
import type { Currency } from '../../../shared/money.ts';
import type { ReviewReason } from '../../../shared/status.ts';
import type { ExceptionDetail } from '../../exceptions/exception-detail.ts';
import type { EventOf, NotedEventType } from '../../payments/ledger-events.ts';
import type { EventContext } from '../outbox.ts';
import type { ReachWords } from './reach-words.ts';

/** Where an exception is: its lead and payment, when it has them. */
export interface ExceptionPlace {
  leadId: number | null;
  paymentId: string | null;
}

type NoteRenderer<T extends NotedEventType> = (event: EventOf<T>, ctx: EventContext, s: LedgerStrings) => string;

/**
 * Every text a person reads about the ledger (notes and tasks in amoCRM, the exceptions list), for
 * one language. Renderers take a table and default to English; `ledgerStrings(language)` picks the
 * account's table when a note or task is sent, or the reader's when exceptions are listed.
 */
export interface LedgerStrings {
  language: AccountLanguage;
  /** An amount for people: "45 000 AMD". */
  money(minor: number, currency: Currency): string;
  /** " with Idram" / " через Idram", or nothing when the provider is not known. */
  via(provider: string | undefined): string;
  /** Who acted, in words: a manager's name, "the customer", or the actor id as a last resort. */
  actor(ctx: EventContext): string;
  /** How the link was sent (the resend channel), as a phrase that follows "marked as sent". */
  channel(channel: string): string;
  /** What each review reason means, as a phrase that fits after "needs a manual check: ". */
  review: Record<ReviewReason, string>;
  notes: { [T in NotedEventType]: NoteRenderer<T> };
  /** Links that came from an invoice page, a pipeline, a bot or a bulk run; the customer's ready message. */
  reach: ReachWords;
  tasks: {
    review(event: EventOf<'review_needed'>, ctx: EventContext, s: LedgerStrings): string;
    refundFailed(event: EventOf<'refund_failed'>, ctx: EventContext, s: LedgerStrings): string;
  };
  exception(detail: ExceptionDetail, place: ExceptionPlace, s: LedgerStrings): { message: string; action: string };
}

/** The words the actor ids stand for, per language; a manager is named when the note knows the name. */
export function actorIn(words: { user: string; customer: string; provider: string; system: string }) {
  return (ctx: EventContext): string => {
    if (ctx.actorName) return ctx.actorName;
    const [kind, id] = ctx.actor.split(':');
    if (kind === 'user' && id) return `${words.user} ${id}`;
    if (kind === 'customer' || kind === 'customer_return') return words.customer;
    if (kind === 'provider') return words.provider;
    return words.system;
  };
}

/** The first letter upper-cased: an actor phrase ("the customer") opening a sentence. */
export const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
