import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { accountExists } from '../accounts/account-store.ts';
import { loadConfig, sqlitePath } from '../config/config.ts';
import { openStore } from '../db/open-store.ts';
import { isPostgresUrl } from '../db/store.ts';
import { parseDateArg, paymentCsvLines } from '../exports/payments-csv.ts';

/**
 * `npm run export -- --account <id> --from <date> --to <date>`: the reconciliation CSV on stdout.
 * `--to` is inclusive of that whole day when given as a date. Reads DATABASE_URL like the server,
 * and only an existing database: a mistyped path must not quietly create an empty one. An operator
 * tool for production: the build compiles it to dist/server/export-payments.js.
 */
const usage = 'usage: npm run export -- --account <id> --from <YYYY-MM-DD> --to <YYYY-MM-DD>';
const help = `${usage}

Prints the reconciliation CSV of one amoCRM account's payments created in a date range (UTC).

  --account <id>   the amoCRM account id (as in the widget's requests and the server's logs)
  --from <date>    first day, YYYY-MM-DD (or an ISO timestamp)
  --to <date>      last day, inclusive when given as YYYY-MM-DD
  --help           this text

Reads the database named by DATABASE_URL (default file:./data/dramlink.db, as the server);
run it where the server runs, after \`npm run build\`.`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(1);
}

let values;
try {
  ({ values } = parseArgs({
    options: { account: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  }));
} catch (err) {
  fail((err as Error).message);
}
if (values.help) {
  process.stdout.write(`${help}\n`);
  process.exit(0);
}
const accountId = Number(values.account);
if (!values.account || !Number.isSafeInteger(accountId) || accountId <= 0)
  fail('--account must be the amoCRM account id (a positive integer)');
const from = parseDateArg(values.from);
if (from === undefined) fail('--from must be a date such as 2026-11-01');
const toStart = parseDateArg(values.to);
if (toStart === undefined) fail('--to must be a date such as 2026-11-30');
const to = values.to!.length === 10 ? toStart + 86_400_000 : toStart;
if (to <= from) fail('--to must not be before --from');

let config;
try {
  config = loadConfig(process.env);
} catch (err) {
  fail((err as { problems?: string[] }).problems?.join('\n') ?? String(err));
}
const file = isPostgresUrl(config.databaseUrl) ? undefined : sqlitePath(config.databaseUrl);
if (file !== undefined && file !== ':memory:' && !existsSync(file)) {
  fail(`no database at ${file} (DATABASE_URL=${config.databaseUrl}): set DATABASE_URL to the server's database; nothing was created`);
}
const store = await openStore(config.databaseUrl);
try {
  if (!(await store.run((tx) => accountExists(tx, accountId)))) {
    process.stderr.write(
      `warning: account ${accountId} is not installed in ${store.location}: check the id (amoCRM's account id, not the subdomain) and DATABASE_URL\n`,
    );
    process.exitCode = 1;
  } else {
    for await (const line of paymentCsvLines(store, { accountId, from, to })) process.stdout.write(`${line}\n`);
  }
} finally {
  await store.close();
}
