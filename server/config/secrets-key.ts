import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Local mode only: a SECRETS_KEY generated once into the data folder and reused on every start,
 * so tokens sealed yesterday still open today. Production must set SECRETS_KEY itself.
 */
export function loadOrCreateLocalKey(databasePath: string): Buffer {
  const folder = databasePath === ':memory:' ? resolve('data') : dirname(resolve(databasePath));
  const file = resolve(folder, 'secrets.key');
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length === 32) return key;
    throw new Error(`${file} does not hold a 32-byte base64 key; delete it only if nothing was encrypted with it`);
  }
  mkdirSync(folder, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600 });
  return key;
}
