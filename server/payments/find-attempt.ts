import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { attempts } from '../db/schema.ts';
import type { Tx } from './commit-decision.ts';
import type { AttemptRow } from './payment-state.ts';

/**
 * Maps a provider's reference back to our attempt: the order number we generated (unique per
 * account and provider) first, else the provider's payment id, compared case-insensitively
 * because Ameriabank sends one case at creation and another on the return.
 */
export function findAttemptByRef(
  db: Db | Tx,
  input: { accountId: number; provider: string; providerOrderNo?: string; providerPaymentId?: string },
): AttemptRow | undefined {
  if (input.providerOrderNo) {
    const byOrder = db
      .select()
      .from(attempts)
      .where(and(eq(attempts.accountId, input.accountId), eq(attempts.provider, input.provider), eq(attempts.providerOrderNo, input.providerOrderNo)))
      .get();
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
