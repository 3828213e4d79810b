import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { exceptions } from '../db/schema.ts';

type Tx = Pick<Db, 'insert' | 'update'>;

export type ExceptionKind = 'needs_review' | 'sync_failing' | 'account_needs_reconnect' | 'account_blocked' | 'refund_failed';

/**
 * Records that something needs a person. Idempotent per key: a second report of the same
 * exception while it is open changes nothing. Returns true when it was newly opened.
 */
export function openException(
  tx: Tx,
  input: {
    accountId: number;
    kind: ExceptionKind;
    key: string;
    paymentId?: string | null;
    leadId?: number | null;
    message: string;
    action: string;
    now: number;
  },
): boolean {
  const res = tx
    .insert(exceptions)
    .values({
      accountId: input.accountId,
      kind: input.kind,
      dedupeKey: input.key,
      paymentId: input.paymentId ?? null,
      leadId: input.leadId ?? null,
      message: input.message,
      action: input.action,
      openedAt: input.now,
    })
    .onConflictDoNothing()
    .run();
  if (res.changes > 0) return true;
  // The same key resolved earlier and happening again: reopen it.
  const reopened = tx
    .update(exceptions)
    .set({ resolvedAt: null, openedAt: input.now, message: input.message, action: input.action })
    .where(and(eq(exceptions.accountId, input.accountId), eq(exceptions.dedupeKey, input.key), isNotNull(exceptions.resolvedAt)))
    .run();
  return reopened.changes > 0;
}

export function resolveException(tx: Tx, input: { accountId: number; key: string; now: number }): void {
  tx.update(exceptions)
    .set({ resolvedAt: input.now })
    .where(and(eq(exceptions.accountId, input.accountId), eq(exceptions.dedupeKey, input.key), isNull(exceptions.resolvedAt)))
    .run();
}
