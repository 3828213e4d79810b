import { and, eq, sql } from 'drizzle-orm';
import type { Step } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';
import type { AttemptRow } from './payment-state.ts';

/**
 * Maps a provider's reference back to our attempt: the order number we generated (unique per
 * account and provider) first, else the provider's payment id, compared case-insensitively
 * because Ameriabank sends one case at creation and another on the return.
 */
export function* findAttemptByRef(
  tx: Tx,
  input: { accountId: number; provider: string; providerOrderNo?: string; providerPaymentId?: string },
): Step<AttemptRow | undefined> {
  const { attempts } = tx.t;
  if (input.providerOrderNo) {
    const statement = tx.prepared('attempt.byOrderNo', () =>
      tx
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
    );
    const byOrder = yield* tx.get(statement, { accountId: input.accountId, provider: input.provider, orderNo: input.providerOrderNo });
    if (byOrder) return byOrder;
  }
  if (input.providerPaymentId) {
    return yield* tx.get(
      tx
        .select()
        .from(attempts)
        .where(
          and(
            eq(attempts.accountId, input.accountId),
            eq(attempts.provider, input.provider),
            sql`lower(${attempts.providerPaymentId}) = lower(${input.providerPaymentId})`,
          ),
        ),
    );
  }
  return undefined;
}
