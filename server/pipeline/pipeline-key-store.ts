import { eq } from 'drizzle-orm';
import type { SecretBox } from '../crypto/secret-box.ts';
import { randomToken, safeEqual } from '../crypto/hmac.ts';
import type { Step } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';

/**
 * The per-account key of Digital Pipeline hooks (docs/architecture.md, Digital Pipeline): amoCRM
 * signs nothing it posts to `dp.webhook_url`, so the widget writes this key into each trigger's
 * hidden setting and amoCRM sends it back with every hook. The only module with SQL on
 * `pipeline_keys`; sealed with SECRETS_KEY like every secret at rest.
 */
export function* pipelineKeyOf(tx: Tx, box: SecretBox, accountId: number, now: number): Step<string> {
  const { pipelineKeys } = tx.t;
  const read = () => tx.get(tx.select().from(pipelineKeys).where(eq(pipelineKeys.accountId, accountId)));
  const row = yield* read();
  if (row) return box.open(row.keySealed);
  const key = `dlk_${randomToken(24)}`;
  yield* tx.run(
    tx
      .insert(pipelineKeys)
      .values({ accountId, keySealed: box.seal(key), createdAt: now })
      .onConflictDoNothing(),
  );
  // Two first asks at once (any instance): whichever was stored first is the key.
  return box.open((yield* read())!.keySealed);
}

/** Whether `candidate` is the account's key (constant time); false when the account has none yet. */
export function* isPipelineKey(tx: Tx, box: SecretBox, accountId: number, candidate: unknown): Step<boolean> {
  if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 200) return false;
  const { pipelineKeys } = tx.t;
  const row = yield* tx.get(tx.select().from(pipelineKeys).where(eq(pipelineKeys.accountId, accountId)));
  if (!row) return false;
  return safeEqual(box.open(row.keySealed), candidate);
}
