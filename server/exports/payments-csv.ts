import { and, asc, eq, gte, inArray, lt } from 'drizzle-orm';
import { minorToMajorString, isCurrency } from '../../shared/money.ts';
import type { Store } from '../db/store.ts';

/** Columns accountants reconcile against the bank statement; names are stable (scripts parse them). */
export const PAYMENT_CSV_COLUMNS = [
  'lead_id',
  'payment_id',
  'provider',
  'provider_order_no',
  'provider_payment_id',
  'amount',
  'currency',
  'status',
  'needs_review',
  'paid_at',
  'paid_amount',
  'refunded_amount',
  'created_at',
  'crm_sync',
] as const;

/** RFC 4180 quoting, plus a leading apostrophe for cells a spreadsheet would run as a formula. */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function major(minor: number | null, currency: string): string {
  if (minor === null) return '';
  return isCurrency(currency) ? minorToMajorString(minor, currency) : String(minor);
}

function iso(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toISOString();
}

export interface ExportRange {
  accountId: number;
  /** Inclusive, epoch ms (payments created at or after). */
  from: number;
  /** Exclusive, epoch ms. */
  to: number;
}

/**
 * The reconciliation export: one line per payment created in the range. The provider columns name
 * the attempt that took the money, or the latest attempt when none did.
 */
export async function* paymentCsvLines(store: Store, range: ExportRange): AsyncGenerator<string> {
  yield PAYMENT_CSV_COLUMNS.join(',');
  const rows = await store.run(function* (tx) {
    const { payments } = tx.t;
    return yield* tx.all(
      tx
        .select()
        .from(payments)
        .where(and(eq(payments.accountId, range.accountId), gte(payments.createdAt, range.from), lt(payments.createdAt, range.to)))
        .orderBy(asc(payments.createdAt), asc(payments.id)),
    );
  });
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const ids = chunk.map((p) => p.id);
    const { attemptRows, jobRows } = await store.run(function* (tx) {
      const { attempts, syncJobs } = tx.t;
      const attemptRows = yield* tx.all(tx.select().from(attempts).where(inArray(attempts.paymentId, ids)));
      const jobRows = yield* tx.all(
        tx
          .select({ paymentId: syncJobs.paymentId, leadId: syncJobs.leadId, state: syncJobs.state })
          .from(syncJobs)
          .where(and(eq(syncJobs.accountId, range.accountId), inArray(syncJobs.leadId, [...new Set(chunk.map((p) => p.leadId))]))),
      );
      return { attemptRows, jobRows };
    });
    for (const p of chunk) {
      const mine = attemptRows.filter((a) => a.paymentId === p.id).sort((a, b) => a.seq - b.seq);
      const attempt = mine.find((a) => a.id === p.paidAttemptId) ?? mine[mine.length - 1];
      const jobs = jobRows.filter((j) => j.paymentId === p.id || (j.paymentId === null && j.leadId === p.leadId));
      const sync = jobs.some((j) => j.state === 'failing' || j.state === 'dead')
        ? 'failing'
        : jobs.some((j) => j.state === 'pending' || j.state === 'in_flight')
          ? 'pending'
          : 'synced';
      yield [
        p.leadId,
        p.id,
        attempt?.provider ?? '',
        attempt?.providerOrderNo ?? '',
        attempt?.providerPaymentId ?? '',
        major(p.amountMinor, p.currency),
        p.currency,
        p.status,
        p.reviewReason ?? '',
        iso(p.paidAt),
        major(p.paidAmountMinor, p.currency),
        major(p.refundedAmountMinor, p.currency),
        iso(p.createdAt),
        sync,
      ]
        .map(csvCell)
        .join(',');
    }
  }
}

/** "2026-11-01" or a full ISO time → epoch ms (UTC), or undefined when it is not a date. */
export function parseDateArg(text: string | undefined): number | undefined {
  if (!text || !/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/.test(text)) return undefined;
  const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  return Number.isNaN(ms) ? undefined : ms;
}
