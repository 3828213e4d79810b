import type { ExceptionView } from '../../shared/api.ts';
import type { Currency } from '../../shared/money.ts';
import type { ReviewReason } from '../../shared/status.ts';

export type ExceptionKind = ExceptionView['kind'];

/**
 * What an exception is about, as data: its kind, the reason within the kind, and the facts a
 * message needs. Stored as such (kind, reason, JSON data); the message and the action a person reads
 * are rendered from it where it is read, so they can be in the reader's language.
 */
export type ExceptionDetail =
  | { kind: 'needs_review'; reason: ReviewReason; data: { amountMinor: number; currency: Currency } }
  | {
      kind: 'refund_failed';
      reason: 'provider_refused';
      data: { refundId: string; amountMinor: number; currency: Currency; providerMessage: string | null };
    }
  | { kind: 'sync_failing'; reason: 'retrying'; data: { attempts: number; error: string; retryEveryMinutes: number } }
  | {
      kind: 'sync_failing';
      reason: 'rejected';
      data: { jobKind: 'lead_update' | 'note' | 'task' | 'invoice_update' | 'bot_continue'; error: string };
    }
  | { kind: 'account_blocked'; reason: 'amocrm_403' | 'ip_not_allowed'; data: { cooldownMinutes: number } }
  | { kind: 'account_needs_reconnect'; reason: 'token_refused'; data: Record<string, never> }
  /** No row recorded it, but the account's state shows it (GET /exceptions adds these). */
  | { kind: 'account_blocked' | 'account_needs_reconnect'; reason: 'account_state'; data: Record<string, never> };

/** The stored columns back as a detail. Rows are only written through openException, so the shape holds. */
export function exceptionDetailOf(row: { kind: ExceptionKind; reason: string; data: string }): ExceptionDetail {
  let data: unknown;
  try {
    data = JSON.parse(row.data);
  } catch {
    data = {};
  }
  return { kind: row.kind, reason: row.reason, data: data ?? {} } as ExceptionDetail;
}
