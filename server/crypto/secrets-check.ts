import { eq } from 'drizzle-orm';
import type { Step } from '../db/step.ts';
import type { Store } from '../db/store.ts';
import type { Tx } from '../db/tx.ts';
import type { SecretBox } from './secret-box.ts';

/**
 * The secrets key is checked, not assumed: a known text sealed with SECRETS_KEY is stored at first
 * start; every later start (and /readyz) opens it. A wrong key would otherwise start "fine" and
 * then fail every token refresh, every provider call and every notification, one by one.
 */
export const SECRETS_CHECK_KEY = 'secrets_check';
export const SECRETS_CHECK_TEXT = 'dramlink secrets check v1';

export class SecretsKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretsKeyError';
  }
}

/** The one line a start with the wrong key stops with. */
export const WRONG_KEY_LINE =
  'SECRETS_KEY does not open the data in this database: it was sealed with another key. Start with the key it was set up with; to change keys stop the server and run `npm run rotate-secrets -- --from <old key>` with the new one in SECRETS_KEY (README, Production checklist)';

/** The sealed check value, or undefined before the first start. */
export function* storedCheck(tx: Tx): Step<string | undefined> {
  const { serverMeta } = tx.t;
  return (yield* tx.get(tx.select({ value: serverMeta.value }).from(serverMeta).where(eq(serverMeta.key, SECRETS_CHECK_KEY))))?.value;
}

/** True when `box` opens `sealed` to the check text (never throws). */
export function opensCheck(box: SecretBox, sealed: string): boolean {
  try {
    return box.open(sealed) === SECRETS_CHECK_TEXT;
  } catch {
    return false;
  }
}

/**
 * At start: opens the stored check value, or stores one when there is none. A database from
 * before the check existed may already hold sealed tokens or credentials: one of them must open
 * with this key before the key is written down as the right one. Throws SecretsKeyError otherwise.
 */
export function ensureSecretsKey(store: Store, box: SecretBox, now: number): Promise<'checked' | 'stored'> {
  return store.run(function* (tx): Step<'checked' | 'stored'> {
    const sealed = yield* storedCheck(tx);
    if (sealed !== undefined) {
      if (!opensCheck(box, sealed)) throw new SecretsKeyError(WRONG_KEY_LINE);
      return 'checked';
    }
    const sample = yield* anySealedValue(tx);
    if (sample !== undefined && !opens(box, sample)) throw new SecretsKeyError(WRONG_KEY_LINE);
    yield* tx.run(
      tx
        .insert(tx.t.serverMeta)
        .values({ key: SECRETS_CHECK_KEY, value: box.seal(SECRETS_CHECK_TEXT), updatedAt: now })
        .onConflictDoNothing(),
    );
    // Another process (an instance starting at the same moment) may have stored its own: the stored one decides.
    if (!opensCheck(box, (yield* storedCheck(tx))!)) throw new SecretsKeyError(WRONG_KEY_LINE);
    return 'stored';
  });
}

/** For /readyz: the stored check value opens with the running key. */
export async function secretsKeyReady(store: Store, box: SecretBox): Promise<boolean> {
  try {
    const sealed = await store.run(storedCheck);
    return sealed !== undefined && opensCheck(box, sealed);
  } catch {
    return false;
  }
}

function* anySealedValue(tx: Tx): Step<string | undefined> {
  const { tokens, providerConfigs } = tx.t;
  return (
    (yield* tx.get(tx.select({ v: tokens.accessTokenSealed }).from(tokens).limit(1)))?.v ??
    (yield* tx.get(tx.select({ v: providerConfigs.credentialsSealed }).from(providerConfigs).limit(1)))?.v
  );
}

function opens(box: SecretBox, sealed: string): boolean {
  try {
    box.open(sealed);
    return true;
  } catch {
    return false;
  }
}
