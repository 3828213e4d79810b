import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.ts';
import { openStore } from '../db/open-store.ts';
import { parseDateArg, paymentCsvLines } from '../exports/payments-csv.ts';

/**
 * `npm run export -- --account <id> --from <date> --to <date>`: the reconciliation CSV on stdout.
 * `--to` is inclusive of that whole day when given as a date. Reads DATABASE_URL like the server.
 * An operator tool for production: the build compiles it to dist/server/export-payments.js.
 */
const usage = 'usage: npm run export -- --account <id> --from <YYYY-MM-DD> --to <YYYY-MM-DD>';

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(1);
}

let values;
try {
  ({ values } = parseArgs({ options: { account: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } }, strict: true }));
} catch (err) {
  fail((err as Error).message);
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
const store = await openStore(config.databaseUrl);
try {
  for await (const line of paymentCsvLines(store, { accountId, from, to })) process.stdout.write(`${line}\n`);
} finally {
  await store.close();
}
