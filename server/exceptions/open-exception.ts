import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Step } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';
import type { ExceptionDetail } from './exception-detail.ts';

export type { ExceptionKind } from './exception-detail.ts';

export type OpenExceptionInput = ExceptionDetail & {
  accountId: number;
  key: string;
  paymentId?: string | null;
  leadId?: number | null;
  now: number;
};

/**
 * Records that something needs a person. Idempotent per key: a second report of the same
 * exception while it is open changes nothing. Returns true when it was newly opened.
 */
export function* openException(tx: Tx, input: OpenExceptionInput): Step<boolean> {
  const { exceptions } = tx.t;
  const data = JSON.stringify(input.data);
  const inserted = yield* tx.run(
    tx
      .insert(exceptions)
      .values({
        accountId: input.accountId,
        kind: input.kind,
        dedupeKey: input.key,
        paymentId: input.paymentId ?? null,
        leadId: input.leadId ?? null,
        reason: input.reason,
        data,
        openedAt: input.now,
      })
      .onConflictDoNothing(),
  );
  if (inserted > 0) return true;
  // The same key resolved earlier and happening again: reopen it with what is true now.
  const reopened = yield* tx.run(
    tx
      .update(exceptions)
      .set({ resolvedAt: null, openedAt: input.now, reason: input.reason, data })
      .where(and(eq(exceptions.accountId, input.accountId), eq(exceptions.dedupeKey, input.key), isNotNull(exceptions.resolvedAt))),
  );
  return reopened > 0;
}

export function* resolveException(tx: Tx, input: { accountId: number; key: string; now: number }): Step<void> {
  const { exceptions } = tx.t;
  yield* tx.run(
    tx
      .update(exceptions)
      .set({ resolvedAt: input.now })
      .where(and(eq(exceptions.accountId, input.accountId), eq(exceptions.dedupeKey, input.key), isNull(exceptions.resolvedAt))),
  );
}
