import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sqlitePath } from '../config/config.ts';
import { copyDatabase } from '../db/copy-database.ts';
import { openStore } from '../db/open-store.ts';
import { openSqliteStore } from '../db/sqlite-store.ts';
import { isPostgresUrl } from '../db/store.ts';

/**
 * `npm run db:copy -- --from file:./data/dramlink.db --to postgres://user:pass@host:5432/db`: moves
 * an existing SQLite installation to PostgreSQL without losing a row (docs/architecture.md, The
 * stores). Stop the server first. The target is migrated, must hold no account or payment, and is
 * written in one transaction; the counts of every table and a checksum of the ledger are compared
 * afterwards and printed. An operator tool: the build compiles it to dist/server/copy-database.js.
 */
const usage = 'usage: npm run db:copy -- --from file:<path to the SQLite file> --to postgres://<user>:<password>@<host>:<port>/<database>';

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(1);
}

let values;
try {
  ({ values } = parseArgs({
    options: { from: { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  }));
} catch (err) {
  fail((err as Error).message);
}
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
if (!values.from || isPostgresUrl(values.from)) fail('--from must name the SQLite database to copy (file:./data/dramlink.db)');
if (!values.to || !isPostgresUrl(values.to)) fail('--to must be a postgres:// URL of a new, empty database');
const file = sqlitePath(values.from);
if (file === ':memory:' || !existsSync(file)) fail(`no SQLite database at ${file}: nothing was copied`);

const from = openSqliteStore(file);
let to;
try {
  to = await openStore(values.to);
} catch (err) {
  from.close();
  fail(`cannot open ${values.to.replace(/\/\/[^@]*@/, '//')}: ${(err as Error).message}`);
}
try {
  const report = await copyDatabase(from, to);
  for (const [name, n] of Object.entries(report.counts)) process.stdout.write(`${name.padEnd(18)} ${n}\n`);
  process.stdout.write(`ledger checksum    ${report.checksum} (source and target equal)\n`);
  process.stdout.write(`copied ${file} to ${to.location}: set DATABASE_URL to it and start the instances\n`);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\nnothing was copied\n`);
  process.exitCode = 1;
} finally {
  await from.close();
  await to.close();
}
