import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import jwt from 'jsonwebtoken';
import { DEMO } from '../../scripts/local-mode/demo-account.ts';
import { devWingAddOn } from '../../scripts/local-mode/dev-wing-add-on.ts';
import { LOCAL_CLIENT_ID } from '../../scripts/local-mode/index.ts';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config/config.ts';
import { openDatabase } from '../../server/db/database.ts';
import { accounts } from '../../server/db/schema.ts';
import { createLogger } from '../../server/logging/logger.ts';
import { systemClock } from '../../server/platform/clock.ts';
import { createAxiosHttpClient } from '../../server/platform/http-client.ts';
import { freePort, killAll, startChild, type Child } from '../support/child-server.ts';
import { createSqliteStore } from '../../server/db/sqlite-store.ts';

/**
 * Finding 1 (High), as attacks that must fail: a mistyped NODE_ENV, a public HOST or a real
 * database starting local mode, whose playground mints admin tokens for anyone who reaches the
 * port, signed with a secret printed in the source. Local mode now starts only on purpose, on
 * loopback, on its own database, with a secret made for the run.
 */
const DEV_WING = fileURLToPath(new URL('../../scripts/local-mode/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
/** The secret local mode used to hard-code: anyone who read the source could sign tokens with it. */
const OLD_FIXED_SECRET = 'dramlink-local-client-secret-not-for-production';

describe('fault: local mode only on purpose (finding 1)', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  const children: Child[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'dramlink-local-attack-'));
    dirs.push(d);
    return d;
  };
  after(() => {
    killAll(children);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function refusedStart(env: Record<string, string>, cwd = tempDir()) {
    const port = await freePort();
    const child = startChild(['--import', TSX, DEV_WING], cwd, { PORT: String(port), ...env });
    children.push(child);
    const { code } = await child.exited;
    const listening = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      () => true,
      () => false,
    );
    return { code, stderr: child.stderr().trim(), stdout: child.stdout(), listening, cwd };
  }

  it('NODE_ENV=Production (capital P) with no integration and HOST=0.0.0.0: production rules, the start is refused', async () => {
    const r = await refusedStart({ NODE_ENV: 'Production', HOST: '0.0.0.0' });
    expect(r.code).to.equal(1);
    expect(r.listening, 'no port was opened').to.equal(false);
    const names = r.stderr.split('\n').map((l) => l.replace(/^config error: /, '').split(':')[0]);
    expect(names).to.include.members(['SECRETS_KEY', 'AMOCRM_CLIENT_ID', 'AMOCRM_CLIENT_SECRET', 'PUBLIC_URL']);
    expect(readdirSync(r.cwd), 'nothing created: no database, no key').to.deep.equal([]);
  });

  it('local mode on a public HOST (0.0.0.0) is refused with one line naming HOST', async () => {
    const r = await refusedStart({ HOST: '0.0.0.0' });
    expect(r.code).to.equal(1);
    expect(r.listening).to.equal(false);
    expect(r.stderr).to.match(/^config error: HOST: local mode listens on loopback only/);
    expect(r.stderr.split('\n')).to.have.length(1);
  });

  it('local mode on a database holding a real account is refused before anything listens', async () => {
    const cwd = tempDir();
    const path = join(cwd, 'prod-copy.db');
    const h = openDatabase(path);
    h.db
      .insert(accounts)
      .values({ id: 28_123_456, subdomain: 'realshop', baseDomain: 'amocrm.ru', state: 'active', createdAt: 0, updatedAt: 0 })
      .run();
    h.close();
    const r = await refusedStart({ DATABASE_URL: `file:${path}` }, cwd);
    expect(r.code).to.equal(1);
    expect(r.listening).to.equal(false);
    expect(r.stderr).to.match(
      /^dramlink failed to start: local mode refuses the database .*prod-copy\.db: it holds accounts other than the demo account \(28123456\)/,
    );
    expect(r.stderr.split('\n')).to.have.length(1);
  });

  describe('a running local mode', () => {
    let server: Server;
    let url: string;
    let stop: () => Promise<void>;
    before(async () => {
      const dataDir = tempDir();
      const database = openDatabase(':memory:');
      server = createServer((req, res) => handler(req as never, res as never));
      let handler: (req: never, res: never) => void = () => undefined;
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const config = loadConfig({ PUBLIC_URL: url, SECRETS_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'error' });
      const logger = createLogger({ level: 'error', stream: new PassThrough() });
      const addOn = await devWingAddOn(
        { config, logger, databasePath: join(dataDir, 'dramlink.db'), store: createSqliteStore(database) },
        { print: () => undefined, widgetBuild: async () => ({ state: 'fresh' }) },
      );
      const app = await createApp(
        {
          config,
          clock: systemClock,
          http: createAxiosHttpClient({ defaultTimeoutMs: 5_000 }),
          logger,
          store: createSqliteStore(database),
        },
        { extend: addOn.extend },
      );
      handler = app.express as never;
      await addOn.afterListen!(app, url);
      stop = async () => {
        await app.stopBackground();
        await addOn.stop!();
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
        database.close();
      };
    });
    after(() => stop());

    it('refuses an admin token signed with the secret local mode used to hard-code', async () => {
      const now = Math.floor(Date.now() / 1000);
      const forged = jwt.sign(
        {
          iss: `https://${DEMO.subdomain}.amocrm.ru`,
          aud: url,
          jti: randomBytes(8).toString('hex'),
          iat: now,
          nbf: now,
          exp: now + 600,
          account_id: DEMO.accountId,
          user_id: DEMO.adminUserId,
          client_uuid: LOCAL_CLIENT_ID,
          subdomain: DEMO.subdomain,
          is_admin: true,
        },
        OLD_FIXED_SECRET,
        { algorithm: 'HS256' },
      );
      const res = await fetch(`${url}/api/v1/settings`, { headers: { 'x-auth-token': forged } });
      expect(res.status).to.equal(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('token_bad_signature');
    });
  });

  it('has no playground and no emulator proxy outside local mode, even with the dev wing loaded', async () => {
    const config = loadConfig({
      AMOCRM_CLIENT_ID: 'id',
      AMOCRM_CLIENT_SECRET: 'secret',
      SECRETS_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'error',
      SANDBOX_ENABLED: 'false',
    });
    const logger = createLogger({ level: 'error', stream: new PassThrough() });
    const database = openDatabase(':memory:');
    const addOn = await devWingAddOn({ config, logger, databasePath: ':memory:', store: createSqliteStore(database) });
    const app = await createApp(
      { config, clock: systemClock, http: createAxiosHttpClient(), logger, store: createSqliteStore(database) },
      { extend: addOn.extend },
    );
    const server = createServer(app.express);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      expect((await fetch(`${base}/`)).status).to.equal(404);
      const mint = await fetch(`${base}/playground/emulator/accounts/${DEMO.accountId}/disposable-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: DEMO.adminUserId }),
      });
      expect(mint.status).to.equal(404);
    } finally {
      await app.stopBackground();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      database.close();
    }
  });
});
