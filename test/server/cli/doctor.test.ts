import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createApp, type App } from '../../../server/app.ts';
import { LOCAL_AMOCRM_FILE } from '../../../server/cli/local-amocrm.ts';
import { loadConfig } from '../../../server/config/config.ts';
import { openDatabase, type DatabaseHandle } from '../../../server/db/database.ts';
import { createLogger } from '../../../server/logging/logger.ts';
import { systemClock } from '../../../server/platform/clock.ts';
import { createAxiosHttpClient } from '../../../server/platform/http-client.ts';
import { DEMO } from '../../../scripts/local-mode/demo-account.ts';
import { devWingAddOn } from '../../../scripts/local-mode/dev-wing-add-on.ts';
import type { LocalMode } from '../../../scripts/local-mode/index.ts';
import { createSqliteStore } from '../../../server/db/sqlite-store.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const KEY = randomBytes(32).toString('base64');

/** `npm run doctor -- --account <id>` from source (the build compiles the same file), with the server's environment. */
function doctor(
  env: Record<string, string>,
  accountId: number = DEMO.accountId,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/doctor.ts', '--account', String(accountId)], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('npm run doctor against the local-mode account', function () {
  this.timeout(60_000);
  let dataDir: string;
  let database: DatabaseHandle;
  let server: Server;
  let app: App;
  let local: LocalMode;
  let stopAddOn: () => Promise<void>;
  let env: Record<string, string>;

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'dramlink-doctor-'));
    const databasePath = path.join(dataDir, 'dramlink.db');
    database = openDatabase(databasePath);
    let handler: ((req: never, res: never) => void) | undefined;
    server = createServer((req, res) => handler!(req as never, res as never));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    env = { PUBLIC_URL: url, SECRETS_KEY: KEY, LOG_LEVEL: 'error', DATABASE_URL: `file:${databasePath}` };
    const config = loadConfig(env);
    const logger = createLogger({ level: 'error', stream: new PassThrough() });
    const addOn = await devWingAddOn(
      { config, logger, databasePath, store: createSqliteStore(database) },
      { print: () => undefined, widgetBuild: async () => ({ state: 'fresh' }), started: (l) => (local = l) },
    );
    app = await createApp(
      { config, clock: systemClock, http: createAxiosHttpClient({ defaultTimeoutMs: 5_000 }), logger, store: createSqliteStore(database) },
      { extend: addOn.extend },
    );
    handler = app.express as never;
    await addOn.afterListen!(app, url);
    stopAddOn = addOn.stop!;
  });
  after(async () => {
    await app?.stopBackground();
    await stopAddOn?.();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    database?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints one PASS line per check, all passing, and exits 0', async () => {
    const run = await doctor(env);
    if (process.env.SHOW_DOCTOR) console.log(run.out);
    expect(run.err).to.equal('');
    const lines = run.out.split('\n');
    expect(lines[0]).to.equal(`dramlink doctor: account ${DEMO.accountId} (${DEMO.subdomain}.amocrm.ru, active)`);
    const names = lines.filter((l) => /^(PASS|FAIL) /.test(l)).map((l) => l.split(/\s+/).slice(0, 2).join(' '));
    expect(names).to.deep.equal([
      'PASS tokens',
      'PASS lead_fields',
      'PASS stage_mapping',
      'PASS installer_rights',
      'PASS rate_budget',
      'PASS provider:sandbox',
      'PASS token_claims',
      'PASS unverified:paywall',
      'PASS unverified:invoice_sync',
      'PASS unverified:digital_pipeline',
      'PASS unverified:salesbot',
      'PASS unverified:salesbot_designer',
      'PASS unverified:bot_run',
    ]);
    expect(run.out).to.contain('all 13 checks passed');
    expect(run.code).to.equal(0);
  });

  it('reports what amoCRM sends in disposable tokens, and fails with the fix when a reused token meets AMOCRM_TOKEN_REPLAY=reject', async () => {
    local.emulator.setDisposableTokens({ reuse: true, isAdminClaim: false });
    const token = local.emulator.authorizedAjaxToken(DEMO.accountId, { userId: DEMO.managerUserId });
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${env.PUBLIC_URL}/api/v1/exceptions`, { headers: { 'x-auth-token': token } });
      expect(res.status).to.equal(200);
    }
    const run = await doctor({ ...env, AMOCRM_TOKEN_REPLAY: 'reject' });
    if (process.env.SHOW_DOCTOR) console.log(run.out);
    const line = run.out.split('\n').find((l) => l.includes('token_claims'))!;
    expect(line).to.match(/^FAIL/);
    expect(line).to.contain('is_admin absent');
    expect(line).to.contain('a jti was reused 1 time(s)');
    expect(run.out).to.contain('set AMOCRM_TOKEN_REPLAY=log');
    expect(run.out).to.contain('1 of 13 checks failed');
    expect(run.code).to.equal(1);
  });

  it('says what to do when it cannot run: no local server, an account that never installed', async () => {
    expect(existsSync(path.join(dataDir, LOCAL_AMOCRM_FILE))).to.equal(true);
    const unknown = await doctor(env, 42);
    expect(unknown.code).to.equal(2);
    expect(unknown.err).to.contain('account 42 has not installed dramlink');
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'dramlink-doctor-none-'));
    try {
      const none = await doctor({ ...env, DATABASE_URL: `file:${path.join(elsewhere, 'dramlink.db')}` });
      expect(none.code).to.equal(2);
      expect(none.err).to.contain('no running local server found');
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
