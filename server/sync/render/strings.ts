import type { Currency } from '../../../shared/money.ts';
import type { ReviewReason } from '../../../shared/status.ts';
import type { ExceptionDetail } from '../../exceptions/exception-detail.ts';
import type { EventOf, NotedEventType } from '../../payments/ledger-events.ts';
import type { EventContext } from '../outbox.ts';

/** Where an exception is: its lead and payment, when it has them. */
export interface ExceptionPlace {
  leadId: number | null;
  paymentId: string | null;
}

type NoteRenderer<T extends NotedEventType> = (event: EventOf<T>, ctx: EventContext, s: LedgerStrings) => string;

/**
 * Every text a person reads about the ledger (notes and tasks in amoCRM, the exceptions list), for
 * one language. Renderers take a table and default to English; another language is another table
 * of the same shape, chosen per account when it is sent or read.
 */
export interface LedgerStrings {
  /** An amount for people: "45 000 AMD". */
  money(minor: number, currency: Currency): string;
  /** " via idram", or nothing when the provider is not known. */
  via(provider: string | undefined): string;
  /** What each review reason means, as a phrase that fits after "Manual review needed: ". */
  review: Record<ReviewReason, string>;
  notes: { [T in NotedEventType]: NoteRenderer<T> };
  tasks: {
    review(event: EventOf<'review_needed'>, ctx: EventContext, s: LedgerStrings): string;
    refundFailed(event: EventOf<'refund_failed'>, ctx: EventContext, s: LedgerStrings): string;
  };
  exception(detail: ExceptionDetail, place: ExceptionPlace, s: LedgerStrings): { message: string; action: string };
}
