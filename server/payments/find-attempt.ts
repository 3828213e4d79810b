import { and, eq, sql } from 'drizzle-orm';
import { prepared } from '../db/prepared.ts';
import { attempts } from '../db/schema.ts';
import type { Tx } from '../db/tx.ts';
import type { AttemptRow } from './payment-state.ts';

/**
 * Maps a provider's reference back to our attempt: the order number we generated (unique per
 * account and provider) first, else the provider's payment id, compared case-insensitively
 * because Ameriabank sends one case at creation and another on the return.
 */
export function findAttemptByRef(
  db: Tx,
  input: { accountId: number; provider: string; providerOrderNo?: string; providerPaymentId?: string },
): AttemptRow | undefined {
  if (input.providerOrderNo) {
    const byOrder = prepared(db, 'attempt.byOrderNo', () =>
      db
        .select()
        .from(attempts)
        .where(
          and(
            eq(attempts.accountId, sql.placeholder('accountId')),
            eq(attempts.provider, sql.placeholder('provider')),
            eq(attempts.providerOrderNo, sql.placeholder('orderNo')),
          ),
        )
        .prepare(),
    ).get({ accountId: input.accountId, provider: input.provider, orderNo: input.providerOrderNo });
    if (byOrder) return byOrder;
  }
  if (input.providerPaymentId) {
    return db
      .select()
      .from(attempts)
      .where(
        and(
          eq(attempts.accountId, input.accountId),
          eq(attempts.provider, input.provider),
          sql`lower(${attempts.providerPaymentId}) = lower(${input.providerPaymentId})`,
        ),
      )
      .get();
  }
  return undefined;
}
