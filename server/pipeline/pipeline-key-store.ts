import { eq } from 'drizzle-orm';
import type { SecretBox } from '../crypto/secret-box.ts';
import { randomToken, safeEqual } from '../crypto/hmac.ts';
import { pipelineKeys } from '../db/schema.ts';
import type { Tx } from '../db/tx.ts';

/**
 * The per-account key of Digital Pipeline hooks (docs/architecture.md, Digital Pipeline): amoCRM
 * signs nothing it posts to `dp.webhook_url`, so the widget writes this key into each trigger's
 * hidden setting and amoCRM sends it back with every hook. The only module with SQL on
 * `pipeline_keys`; sealed with SECRETS_KEY like every secret at rest.
 */
export function pipelineKeyOf(db: Tx, box: SecretBox, accountId: number, now: number): string {
  const row = db.select().from(pipelineKeys).where(eq(pipelineKeys.accountId, accountId)).get();
  if (row) return box.open(row.keySealed);
  const key = `dlk_${randomToken(24)}`;
  db.insert(pipelineKeys)
    .values({ accountId, keySealed: box.seal(key), createdAt: now })
    .onConflictDoNothing()
    .run();
  // Two first asks at once: whichever was stored first is the key.
  return box.open(db.select().from(pipelineKeys).where(eq(pipelineKeys.accountId, accountId)).get()!.keySealed);
}

/** Whether `candidate` is the account's key (constant time); false when the account has none yet. */
export function isPipelineKey(db: Tx, box: SecretBox, accountId: number, candidate: unknown): boolean {
  if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 200) return false;
  const row = db.select().from(pipelineKeys).where(eq(pipelineKeys.accountId, accountId)).get();
  if (!row) return false;
  return safeEqual(box.open(row.keySealed), candidate);
}
