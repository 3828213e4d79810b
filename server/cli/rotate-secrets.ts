import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.ts';
import { createSecretBox } from '../crypto/secret-box.ts';
import { RotationError, rotateSecrets } from '../crypto/rotate-secrets.ts';
import { openStore } from '../db/open-store.ts';

/**
 * `npm run rotate-secrets -- --from <old key>`: re-encrypts every token and provider credential
 * from the old key to the one in SECRETS_KEY, in one transaction. Stop the server first, run this
 * with the server's environment and the new SECRETS_KEY, then start the server with the new key.
 * An operator tool for production: the build compiles it to dist/server/rotate-secrets.js.
 */
const usage = 'usage: SECRETS_KEY=<new key> npm run rotate-secrets -- --from <old key>   (keys: 32 bytes in base64)';

function fail(message: string): never {
  process.stderr.write(`rotate-secrets: ${message}\n${usage}\n`);
  process.exit(1);
}

let values;
try {
  ({ values } = parseArgs({ options: { from: { type: 'string' } }, strict: true }));
} catch (err) {
  fail((err as Error).message);
}
const old = Buffer.from(values.from ?? '', 'base64');
if (!values.from || old.length !== 32 || !/^[A-Za-z0-9+/=_-]+$/.test(values.from)) fail('--from must be the old key: 32 bytes in base64');

let config;
try {
  config = loadConfig(process.env);
} catch (err) {
  fail((err as { problems?: string[] }).problems?.join('\n') ?? String(err));
}
if (!config.secretsKey) fail('SECRETS_KEY must be set to the new key');
if (config.secretsKey.equals(old)) fail('SECRETS_KEY and --from are the same key: nothing to rotate');

const store = await openStore(config.databaseUrl);
try {
  const result = await rotateSecrets(store, createSecretBox(old), createSecretBox(config.secretsKey), Date.now());
  process.stdout.write(
    result.state === 'already_rotated'
      ? 'rotate-secrets: the database is already sealed with SECRETS_KEY; nothing changed\n'
      : `rotate-secrets: re-encrypted ${result.values} secret value(s) and the check value; start the server with the new SECRETS_KEY\n`,
  );
} catch (err) {
  await store.close();
  fail(err instanceof RotationError ? err.message : ((err as Error).message ?? String(err)));
}
await store.close();
