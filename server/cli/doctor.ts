import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findAccount } from '../accounts/account-store.ts';
import { loadConfig, sqlitePath, type Config } from '../config/config.ts';
import { loadOrCreateLocalKey } from '../config/secrets-key.ts';
import { openStore } from '../db/open-store.ts';
import { isPostgresUrl } from '../db/store.ts';
import { runDiagnostics } from '../diagnostics/run-diagnostics.ts';
import { doctorReport } from '../diagnostics/report.ts';
import { createLogger } from '../logging/logger.ts';
import { systemClock } from '../platform/clock.ts';
import { createAxiosHttpClient } from '../platform/http-client.ts';
import { buildServices } from '../services.ts';
import { localAmocrmPath, readLocalAmocrm } from './local-amocrm.ts';

/**
 * `npm run doctor -- --account <id>`: checks an installed account end to end without changing
 * anything (server/diagnostics/run-diagnostics.ts) and prints one PASS/FAIL line per check with
 * what to do. Reads the same environment as the server. Exit code 0 when every check passed, 1 when
 * one failed, 2 when it could not run. The build compiles it to dist/server/doctor.js.
 */
const usage = 'usage: npm run doctor -- --account <amoCRM account id>';

function stop(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function accountArg(): number {
  let values;
  try {
    ({ values } = parseArgs({ options: { account: { type: 'string' } }, strict: true }));
  } catch (err) {
    stop(`${(err as Error).message}\n${usage}`);
  }
  const id = Number(values.account);
  if (!values.account || !Number.isSafeInteger(id) || id <= 0)
    stop(`--account must be the amoCRM account id (a positive integer)\n${usage}`);
  return id;
}

/** Local mode: the amoCRM emulator and the secrets key live with the running dev server. */
function localMode(config: Config, databasePath: string): void {
  const local = readLocalAmocrm(databasePath);
  if (!local)
    stop(
      `local mode: no running local server found (${localAmocrmPath(databasePath)} is missing). Start it with npm start, then run doctor again.`,
    );
  Object.assign(config.amocrm, local);
  if (!config.secretsKey) {
    if (!existsSync(resolve(dirname(resolve(databasePath)), 'secrets.key')))
      stop('local mode: no data/secrets.key yet: start the server once with npm start.');
    config.secretsKey = loadOrCreateLocalKey(databasePath);
  }
}

async function main(): Promise<void> {
  const accountId = accountArg();
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    stop((err as { problems?: string[] }).problems?.join('\n') ?? String(err));
  }
  const postgres = isPostgresUrl(config.databaseUrl);
  const databasePath = postgres ? resolve('data', 'postgres') : sqlitePath(config.databaseUrl);
  if (config.mode === 'local') localMode(config, databasePath);
  if (!config.secretsKey) stop('SECRETS_KEY is not set: the stored tokens and credentials cannot be opened.');
  if (!postgres && databasePath !== ':memory:' && !existsSync(databasePath)) stop(`no database at ${databasePath}: check DATABASE_URL.`);
  const store = await openStore(config.databaseUrl);
  try {
    const logger = createLogger({ level: 'error', stream: process.stderr });
    const services = await buildServices({ config, clock: systemClock, http: createAxiosHttpClient(), logger, store });
    const account = await store.run((tx) => findAccount(tx, accountId));
    if (!account) stop(`account ${accountId} has not installed dramlink on this server (database ${store.location}).`);
    const checks = await runDiagnostics(services, account);
    const where = `account ${account.id} (${account.subdomain}.${account.baseDomain}, ${account.state})`;
    process.stdout.write(`${doctorReport(where, checks).join('\n')}\n`);
    process.exitCode = checks.every((c) => c.ok) ? 0 : 1;
  } finally {
    await store.close();
  }
}

main().catch((err: unknown) => stop(`doctor failed: ${(err as Error).stack ?? String(err)}`));
