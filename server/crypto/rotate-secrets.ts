import type { Db } from '../db/database.ts';
import type { SecretBox } from './secret-box.ts';
import { opensCheck, SECRETS_CHECK_KEY, SECRETS_CHECK_TEXT, storedCheck } from './secrets-check.ts';

/** Every sealed column: table, key columns, sealed columns. */
const SEALED: ReadonlyArray<{ table: string; key: string[]; columns: string[] }> = [
  { table: 'tokens', key: ['account_id'], columns: ['access_token_sealed', 'refresh_token_sealed'] },
  { table: 'provider_configs', key: ['account_id', 'provider'], columns: ['credentials_sealed'] },
  { table: 'pipeline_keys', key: ['account_id'], columns: ['key_sealed'] },
];

export class RotationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RotationError';
  }
}

export type RotationResult = { state: 'already_rotated' } | { state: 'rotated'; values: number };

/**
 * Re-encrypts every secret at rest from the old key to the new one, in ONE transaction: either
 * every value opens with the new key afterwards, or nothing changed. The stored check value says
 * which key the database is under, so running it twice is harmless. The server must be stopped
 * (a running one keeps sealing with the old key).
 */
export function rotateSecrets(db: Db, from: SecretBox, to: SecretBox, now: number): RotationResult {
  const check = storedCheck(db);
  if (check !== undefined && opensCheck(to, check)) return { state: 'already_rotated' };
  if (check !== undefined && !opensCheck(from, check)) {
    throw new RotationError('--from does not open this database: it is not the key the data is sealed with');
  }
  const sqlite = db.$client;
  const run = sqlite.transaction(() => {
    let values = 0;
    for (const { table, key, columns } of SEALED) {
      const rows = sqlite.prepare(`SELECT ${[...key, ...columns].join(', ')} FROM ${table}`).all() as Array<Record<string, string>>;
      const update = sqlite.prepare(
        `UPDATE ${table} SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE ${key.map((k) => `${k} = ?`).join(' AND ')}`,
      );
      for (const row of rows) {
        const resealed = columns.map((c) => to.seal(openOrFail(from, row[c], `${table} (${key.map((k) => row[k]).join(', ')})`)));
        update.run(...resealed, ...key.map((k) => row[k]));
        values += columns.length;
      }
    }
    sqlite
      .prepare(
        `INSERT INTO server_meta (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(SECRETS_CHECK_KEY, to.seal(SECRETS_CHECK_TEXT), now);
    return values;
  });
  return { state: 'rotated', values: run.immediate() };
}

function openOrFail(box: SecretBox, sealed: string, where: string): string {
  try {
    return box.open(sealed);
  } catch {
    throw new RotationError(`--from does not open a value in ${where}: nothing was changed`);
  }
}
