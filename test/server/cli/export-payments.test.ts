import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openDatabase } from '../../../server/db/database.ts';
import { accounts } from '../../../server/db/schema.ts';
import { paymentCsvLines } from '../../../server/exports/payments-csv.ts';
import { createPayment } from '../../../server/payments/create-payment.ts';
import { ManualClock } from '../../../server/platform/clock.ts';
import { createSqliteStore, openSqliteStore } from '../../../server/db/sqlite-store.ts';
import { collect } from '../../support/collect.ts';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../../server/cli/export-payments.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

describe('server/cli/export-payments (child process)', function () {
  this.timeout(20_000);
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const range = ['--from', '2026-11-01', '--to', '2026-11-30'];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dramlink-export-cli-'));
    const path = join(dir, 'dramlink.db');
    const h = openDatabase(path);
    h.db.insert(accounts).values({ id: 7, subdomain: 's', baseDomain: 'amocrm.ru', state: 'active', createdAt: 0, updatedAt: 0 }).run();
    const common = {
      accountId: 7,
      currency: 'AMD' as const,
      providers: ['arca' as const],
      expiresInHours: 1,
      createdBy: 'user:1',
      publicUrl: 'http://x',
    };
    await createPayment(
      { store: createSqliteStore(h), clock: new ManualClock(Date.UTC(2026, 10, 10)) },
      { ...common, leadId: 300, amountMinor: 123456 },
    );
    h.close();
    env = { PATH: process.env.PATH, DATABASE_URL: `file:${path}`, SECRETS_KEY: Buffer.alloc(32, 1).toString('base64') };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the same CSV as the export module for the account and date range given', async () => {
    const { stdout } = await run(process.execPath, ['--import', TSX, CLI, '--account', '7', ...range], { env });
    const h = openSqliteStore(env.DATABASE_URL!.slice('file:'.length));
    const expected = await collect(paymentCsvLines(h, { accountId: 7, from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 11, 1) }));
    await h.close();
    expect(expected, 'a header and the one payment').to.have.length(2);
    expect(stdout.trim().split('\n')).to.deep.equal(expected);
  });

  it('rejects a bad argument with exit 1, the reason and the usage line', async () => {
    const bad = await run(process.execPath, ['--import', TSX, CLI, '--account', 'x', ...range], { env }).catch((e: unknown) => e);
    const { code, stderr } = bad as { code: number; stderr: string };
    expect(code).to.equal(1);
    expect(stderr).to.contain('--account must be');
    expect(stderr).to.contain('usage: npm run export');
  });

  it('explains itself on --help and exits 0', async () => {
    const { stdout } = await run(process.execPath, ['--import', TSX, CLI, '--help'], { env });
    expect(stdout)
      .to.match(/^usage: npm run export/)
      .and.contain('--account <id>')
      .and.contain('DATABASE_URL');
  });

  it('warns about an account this database does not know, instead of printing a bare header', async () => {
    const failed = await run(process.execPath, ['--import', TSX, CLI, '--account', '99', ...range], { env }).catch((e: unknown) => e);
    const { code, stdout, stderr } = failed as { code: number; stdout: string; stderr: string };
    expect(code).to.equal(1);
    expect(stdout).to.equal('');
    expect(stderr).to.match(/account 99 is not installed in .*dramlink\.db/);
  });

  it('refuses a database that does not exist rather than creating an empty one', async () => {
    const missing = join(dir, 'nope', 'dramlink.db');
    const failed = await run(process.execPath, ['--import', TSX, CLI, '--account', '7', ...range], {
      env: { ...env, DATABASE_URL: `file:${missing}` },
    }).catch((e: unknown) => e);
    const { code, stderr } = failed as { code: number; stderr: string };
    expect(code).to.equal(1);
    expect(stderr).to.contain(`no database at ${missing}`);
    expect(existsSync(missing), 'nothing created').to.equal(false);
    expect(existsSync(join(dir, 'nope')), 'not even its folder').to.equal(false);
  });
});
