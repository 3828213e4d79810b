import type { ExceptionDetail } from '../../exceptions/exception-detail.ts';
import type { ExceptionPlace, LedgerStrings } from './strings.ts';

type Text = { message: string; action: string };

/** One language's wording of the exceptions; exceptionText puts the stored facts into it. */
export interface ExceptionWords {
  lead(leadId: number | null): string;
  jobKind(kind: string): string;
  review(amount: string | undefined, reason: string): Text;
  refundFailed(amount: string | undefined, providerMessage: string | null | undefined): Text;
  rejected(jobKind: string, lead: string, error: string): Text;
  retrying(lead: string, attempts: number | undefined, error: string | undefined, everyMinutes: number): Text;
  blocked403(cooldownMinutes: number): Text;
  /** amoCRM's API settings allow only listed IP addresses, and this server's is not one (error code 113). */
  ipNotAllowed(cooldownMinutes: number): Text;
  tokenRefused: Text;
  blocked: Text;
  reconnect: Text;
}

/** The message and action of an exception. Data written by older versions may lack a field: say less, never fail. */
export function exceptionText(w: ExceptionWords) {
  return (detail: ExceptionDetail, place: ExceptionPlace, s: LedgerStrings): Text => {
    switch (detail.kind) {
      case 'needs_review': {
        const { amountMinor, currency } = detail.data;
        const amount = amountMinor !== undefined && currency ? s.money(amountMinor, currency) : undefined;
        return w.review(amount, s.review[detail.reason] ?? detail.reason);
      }
      case 'refund_failed': {
        const { amountMinor, currency, providerMessage } = detail.data;
        return w.refundFailed(amountMinor !== undefined && currency ? s.money(amountMinor, currency) : undefined, providerMessage);
      }
      case 'sync_failing': {
        const lead = w.lead(place.leadId);
        if (detail.reason === 'rejected') return w.rejected(w.jobKind(detail.data.jobKind ?? ''), lead, detail.data.error ?? '');
        const { attempts, error, retryEveryMinutes } = detail.data;
        return w.retrying(lead, attempts, error, retryEveryMinutes ?? 30);
      }
      case 'account_blocked':
      case 'account_needs_reconnect':
        if (detail.reason === 'amocrm_403') return w.blocked403(detail.data.cooldownMinutes ?? 10);
        if (detail.reason === 'ip_not_allowed') return w.ipNotAllowed(detail.data.cooldownMinutes ?? 10);
        if (detail.reason === 'token_refused') return w.tokenRefused;
        return detail.kind === 'account_blocked' ? w.blocked : w.reconnect;
    }
  };
}
