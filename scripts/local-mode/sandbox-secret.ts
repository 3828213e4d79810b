import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The demo account's sandbox webhook secret, generated once into the data folder (beside
 * secrets.key) so a checkout opened before a restart still delivers a notification that verifies.
 */
export function loadOrCreateSandboxSecret(databasePath: string): string {
  const folder = databasePath === ':memory:' ? resolve('data') : dirname(resolve(databasePath));
  const file = resolve(folder, 'sandbox-webhook.secret');
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret)) return secret;
  }
  mkdirSync(folder, { recursive: true });
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
