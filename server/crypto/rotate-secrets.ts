import { and, eq, sql } from 'drizzle-orm';
import type { Step } from '../db/step.ts';
import type { Store } from '../db/store.ts';
import type { Tx } from '../db/tx.ts';
import type { SecretBox } from './secret-box.ts';
import { opensCheck, SECRETS_CHECK_KEY, SECRETS_CHECK_TEXT, storedCheck } from './secrets-check.ts';

export class RotationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RotationError';
  }
}

export type RotationResult = { state: 'already_rotated' } | { state: 'rotated'; values: number };

function openOrFail(box: SecretBox, sealed: string, where: string): string {
  try {
    return box.open(sealed);
  } catch {
    throw new RotationError(`--from does not open a value in ${where}: nothing was changed`);
  }
}

/** Every sealed column, resealed: the tokens' pair, the providers' credentials and the pipeline keys. */
function* resealAll(tx: Tx, from: SecretBox, to: SecretBox): Step<number> {
  const { tokens, providerConfigs, pipelineKeys } = tx.t;
  let values = 0;
  for (const row of yield* tx.all(tx.select().from(tokens))) {
    const where = `tokens (${row.accountId})`;
    yield* tx.run(
      tx
        .update(tokens)
        .set({
          accessTokenSealed: to.seal(openOrFail(from, row.accessTokenSealed, where)),
          refreshTokenSealed: to.seal(openOrFail(from, row.refreshTokenSealed, where)),
        })
        .where(eq(tokens.accountId, row.accountId)),
    );
    values += 2;
  }
  for (const row of yield* tx.all(tx.select().from(providerConfigs))) {
    const sealed = to.seal(openOrFail(from, row.credentialsSealed, `provider_configs (${row.accountId}, ${row.provider})`));
    yield* tx.run(
      tx
        .update(providerConfigs)
        .set({ credentialsSealed: sealed })
        .where(and(eq(providerConfigs.accountId, row.accountId), eq(providerConfigs.provider, row.provider))),
    );
    values += 1;
  }
  for (const row of yield* tx.all(tx.select().from(pipelineKeys))) {
    const sealed = to.seal(openOrFail(from, row.keySealed, `pipeline_keys (${row.accountId})`));
    yield* tx.run(tx.update(pipelineKeys).set({ keySealed: sealed }).where(eq(pipelineKeys.accountId, row.accountId)));
    values += 1;
  }
  return values;
}

/**
 * Re-encrypts every secret at rest from the old key to the new one, in ONE transaction: either
 * every value opens with the new key afterwards, or nothing changed. The stored check value says
 * which key the database is under, so running it twice is harmless. The server must be stopped
 * (a running one keeps sealing with the old key): every instance, when several share the database.
 */
export function rotateSecrets(store: Store, from: SecretBox, to: SecretBox, now: number): Promise<RotationResult> {
  return store.transaction(function* (tx): Step<RotationResult> {
    const check = yield* storedCheck(tx);
    if (check !== undefined && opensCheck(to, check)) return { state: 'already_rotated' };
    if (check !== undefined && !opensCheck(from, check)) {
      throw new RotationError('--from does not open this database: it is not the key the data is sealed with');
    }
    const values = yield* resealAll(tx, from, to);
    const { serverMeta } = tx.t;
    yield* tx.run(
      tx
        .insert(serverMeta)
        .values({ key: SECRETS_CHECK_KEY, value: to.seal(SECRETS_CHECK_TEXT), updatedAt: now })
        .onConflictDoUpdate({ target: serverMeta.key, set: { value: sql`excluded.value`, updatedAt: sql`excluded.updated_at` } }),
    );
    return { state: 'rotated', values };
  });
}
