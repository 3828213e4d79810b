import { eq } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { providerConfigs, serverMeta, tokens } from '../db/schema.ts';
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
export function storedCheck(db: Db): string | undefined {
  return db.select({ value: serverMeta.value }).from(serverMeta).where(eq(serverMeta.key, SECRETS_CHECK_KEY)).get()?.value;
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
export function ensureSecretsKey(db: Db, box: SecretBox, now: number): 'checked' | 'stored' {
  const sealed = storedCheck(db);
  if (sealed !== undefined) {
    if (!opensCheck(box, sealed)) throw new SecretsKeyError(WRONG_KEY_LINE);
    return 'checked';
  }
  const sample = anySealedValue(db);
  if (sample !== undefined && !opens(box, sample)) throw new SecretsKeyError(WRONG_KEY_LINE);
  db.insert(serverMeta)
    .values({ key: SECRETS_CHECK_KEY, value: box.seal(SECRETS_CHECK_TEXT), updatedAt: now })
    .onConflictDoNothing()
    .run();
  // Another process may have stored its own at the same moment: the stored one decides.
  if (!opensCheck(box, storedCheck(db)!)) throw new SecretsKeyError(WRONG_KEY_LINE);
  return 'stored';
}

/** For /readyz: the stored check value opens with the running key. */
export function secretsKeyReady(db: Db, box: SecretBox): boolean {
  try {
    const sealed = storedCheck(db);
    return sealed !== undefined && opensCheck(box, sealed);
  } catch {
    return false;
  }
}

function anySealedValue(db: Db): string | undefined {
  return (
    db.select({ v: tokens.accessTokenSealed }).from(tokens).limit(1).get()?.v ??
    db.select({ v: providerConfigs.credentialsSealed }).from(providerConfigs).limit(1).get()?.v
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
