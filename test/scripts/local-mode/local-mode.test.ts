import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { eq } from 'drizzle-orm';
import { createApp, type App } from '../../../server/app.ts';
import { loadConfig, type Config } from '../../../server/config/config.ts';
import { openDatabase, type DatabaseHandle } from '../../../server/db/database.ts';
import { accounts } from '../../../server/db/schema.ts';
import { DEMO } from '../../../scripts/local-mode/demo-account.ts';
import { devWingAddOn } from '../../../scripts/local-mode/dev-wing-add-on.ts';
import { ensureSandboxProvider, LOCAL_CLIENT_ID, startLocalMode, type LocalMode } from '../../../scripts/local-mode/index.ts';
import { createLogger } from '../../../server/logging/logger.ts';
import { systemClock } from '../../../server/platform/clock.ts';
import { createAxiosHttpClient } from '../../../server/platform/http-client.ts';
import { createSqliteStore, openSqliteStore } from '../../../server/db/sqlite-store.ts';
import { saveProvider } from '../../support/test-app.ts';
import { salesbotSteps } from '../../../widget/src/reach/salesbot-steps.ts';
import { SALESBOT_EXITS } from '../../../widget/src/salesbot-exits.ts';

interface Running {
  app: App;
  local: LocalMode;
  url: string;
  config: Config;
  close(): Promise<void>;
}

/** The dev wing's local-mode start, in process: listen first (PUBLIC_URL names the port), then the add-on, the app, the install. */
async function startLocal(database: DatabaseHandle, dataDir: string, printed: string[]): Promise<Running> {
  let handler: ((req: never, res: never) => void) | undefined;
  const server: Server = createServer((req, res) => handler!(req as never, res as never));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = loadConfig({ PUBLIC_URL: url, SECRETS_KEY: KEY, LOG_LEVEL: 'error', DATABASE_URL: ':memory:' });
  expect(config.mode).to.equal('local');
  const logger = createLogger({ level: 'error', stream: new PassThrough() });
  let local: LocalMode | undefined;
  const addOn = await devWingAddOn(
    { config, logger, databasePath: path.join(dataDir, 'dramlink.db'), store: createSqliteStore(database) },
    { print: (l) => printed.push(l), widgetBuild: async () => ({ state: 'fresh' }), started: (l) => (local = l) },
  );
  const app = await createApp(
    { config, clock: systemClock, http: createAxiosHttpClient({ defaultTimeoutMs: 5_000 }), logger, store: createSqliteStore(database) },
    { extend: addOn.extend },
  );
  handler = app.express as never;
  await addOn.afterListen!(app, url);
  return {
    app,
    local: local!,
    url,
    config,
    close: async () => {
      await app.stopBackground();
      await addOn.stop!();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const KEY = randomBytes(32).toString('base64');

describe('local mode (in process)', function () {
  this.timeout(30_000);
  let dataDir: string;
  let database: DatabaseHandle;
  let run: Running;
  const printed: string[] = [];

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'dramlink-local-mode-'));
    database = openDatabase(':memory:');
    run = await startLocal(database, dataDir, printed);
  });
  after(async () => {
    await run?.close();
    database?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const token = async (base: string, userId: number = DEMO.adminUserId) => {
    const res = await fetch(`${base}/playground/emulator/accounts/${DEMO.accountId}/disposable-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId }),
    });
    expect(res.status).to.equal(200);
    return ((await res.json()) as { token: string }).token;
  };

  it('points config.amocrm at its emulator with the local integration and installs the demo account through /oauth/callback', () => {
    expect(run.config.amocrm.clientId).to.equal(LOCAL_CLIENT_ID);
    expect(run.config.amocrm.clientSecret).to.be.a('string');
    expect(run.config.amocrm.baseUrl).to.equal(run.local.emulator.url);
    const row = database.db.select().from(accounts).where(eq(accounts.id, DEMO.accountId)).get();
    expect(row?.state).to.equal('active');
    expect(row?.subdomain).to.equal('dramlink-demo');
    // The callback ran for real: the code was exchanged at the emulator and the fields were created there.
    expect(run.local.emulator.requests.some((r) => r.path === '/oauth2/access_token' && r.status === 200)).to.equal(true);
    const codes = run.local.emulator.customFields(DEMO.accountId).map((f) => f.code);
    expect(codes).to.include.members([
      'DRAMLINK_STATUS',
      'DRAMLINK_AMOUNT',
      'DRAMLINK_CURRENCY',
      'DRAMLINK_PAID_AT',
      'DRAMLINK_PROVIDER_REF',
      'DRAMLINK_LINK',
    ]);
    expect(printed.join('\n')).to.match(/installed through \/oauth\/callback.*sandbox provider enabled/);
  });

  it('enables the sandbox in test mode with a webhook secret kept in the data folder', async () => {
    const sandbox = await run.app.services.providers.get(DEMO.accountId, 'sandbox');
    expect(sandbox).to.include({ enabled: true, mode: 'test' });
    const kept = readFileSync(path.join(dataDir, 'sandbox-webhook.secret'), 'utf8').trim();
    expect(sandbox?.credentials.webhookSecret).to.equal(kept);
  });

  it('serves the playground page, RequireJS, jQuery and underscore, and proxies only the two debug endpoints it needs', async () => {
    const page = await fetch(`${run.url}/`);
    expect(page.status).to.equal(200);
    const html = await page.text();
    expect(html)
      .to.contain('/playground/vendor/require.js')
      .and.contain('/playground/app/playground.js')
      .and.not.match(/https?:\/\//);
    for (const file of ['require.js', 'jquery.js', 'underscore.js']) {
      const res = await fetch(`${run.url}/playground/vendor/${file}`);
      expect(res.status, file).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/javascript/);
    }
    expect((await fetch(`${run.url}/playground/app/playground.js`)).status).to.equal(200);
    const demo = (await (await fetch(`${run.url}/playground/demo.json`)).json()) as {
      accountId: number;
      leads: Array<{ id: number; price: number }>;
    };
    expect(demo.accountId).to.equal(DEMO.accountId);
    expect(demo.leads.map((l) => l.id)).to.deep.equal(DEMO.leads.map((l) => l.id));

    const lead = await fetch(`${run.url}/playground/emulator/accounts/${DEMO.accountId}/leads/${DEMO.leads[0].id}`);
    expect(lead.status).to.equal(200);
    expect(((await lead.json()) as { lead: { price: number } }).lead.price).to.equal(DEMO.leads[0].price);
    expect((await fetch(`${run.url}/playground/emulator/requests`)).status, 'not proxied').to.equal(404);
    expect((await fetch(`${run.url}/playground/emulator/accounts/${DEMO.accountId}/authorize`, { method: 'POST' })).status).to.equal(404);
  });

  it('a disposable token from the emulator opens the widget API same-origin (the aud is our redirect URI origin)', async () => {
    const res = await fetch(`${run.url}/api/v1/leads/${DEMO.leads[1].id}/payments`, { headers: { 'x-auth-token': await token(run.url) } });
    expect(res.status, await res.clone().text()).to.equal(200);
    const body = (await res.json()) as { payments: unknown[]; context?: { enabledProviders?: string[] } };
    expect(body.payments).to.deep.equal([]);
    expect(body.context?.enabledProviders).to.include('sandbox');
  });

  it("fires the pipeline stand-in's hook through the emulator for demo leads only: the account's key is accepted, no key is refused", async () => {
    const setup = await fetch(`${run.url}/api/v1/pipeline/setup`, { headers: { 'x-auth-token': await token(run.url) } });
    expect(setup.status).to.equal(200);
    const { key } = (await setup.json()) as { key: string };
    const trigger = (body: unknown) =>
      fetch(`${run.url}/playground/dp-trigger`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    // The lead without a price: the request is accepted and fails as no_price, so no payment is made here.
    const leadId = DEMO.leads[4].id;
    const accepted = await trigger({ leadId, settings: { dramlink_key: key, amount_source: 'lead_price' } });
    expect(accepted.status).to.equal(200);
    expect(await accepted.json()).to.deep.equal({ status: 200, body: '{"ok":true,"duplicate":false}' });
    const refused = (await (await trigger({ leadId, settings: { amount_source: 'lead_price' } })).json()) as {
      status: number;
      body: string;
    };
    expect(refused.status, 'no key: the server refuses the hook').to.equal(403);
    expect(refused.body).to.contain('invalid_pipeline_key');
    for (const bad of [
      { leadId: 1, settings: {} },
      { leadId, settings: { dramlink_key: 1 } },
      { leadId, settings: [] },
    ]) {
      const res = await trigger(bad);
      expect(res.status, JSON.stringify(bad)).to.equal(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('invalid_trigger');
    }
  });

  it("runs the Salesbot designer stand-in's saved step through the emulator for demo leads: the bot leaves with the server's answer", async () => {
    const runBot = (body: unknown) =>
      fetch(`${run.url}/playground/salesbot-run`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const steps = JSON.parse(salesbotSteps(run.url, 'payment_link', {}));
    // The lead without a price: the bot comes out through error with the reason, and no payment is made.
    const pending = runBot({ leadId: DEMO.leads[4].id, steps, exits: [...SALESBOT_EXITS] });
    // No background loops in this harness: the link runner and the sync worker (the continue) run by hand.
    let res: Response | undefined;
    void pending.then((r) => (res = r));
    for (let i = 0; i < 100 && !res; i++) {
      await run.app.services.linkRunner.runOnce();
      await run.app.services.syncWorker.runOnce();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(res?.status).to.equal(200);
    const answer = (await res!.json()) as { state: string; exit: string; json: Record<string, string>; widgetRequestStatus: number };
    expect(answer).to.deep.include({ state: 'exited', exit: 'error', widgetRequestStatus: 200 });
    expect(answer.json).to.include({ status: 'error', error: 'no_price' });
    const elsewhere = JSON.parse(salesbotSteps('http://169.254.169.254', 'payment_link', {}));
    for (const bad of [
      { leadId: DEMO.leads[4].id, steps: elsewhere, exits: [] },
      { leadId: 1, steps, exits: [] },
      { leadId: DEMO.leads[4].id, steps: [{ question: [{ handler: 'eval' }] }], exits: [] },
      { leadId: DEMO.leads[4].id, steps: 'x', exits: [] },
    ]) {
      const refused = await runBot(bad);
      expect(refused.status, JSON.stringify(bad)).to.equal(400);
      expect(((await refused.json()) as { error: { code: string } }).error.code).to.equal('invalid_bot');
    }
    expect(run.local.emulator.widgetRequests, 'the emulator posted nowhere for a refused bot').to.have.length(1);
  });

  it('after a restart (a new, empty emulator) the same ids find the same payments, and the sandbox secret is kept', async () => {
    const created = await fetch(`${run.url}/api/v1/leads/${DEMO.leads[2].id}/payments`, {
      method: 'POST',
      headers: { 'x-auth-token': await token(run.url, DEMO.managerUserId), 'content-type': 'application/json' },
      body: '{}',
    });
    expect(created.status, await created.clone().text()).to.equal(201);
    const { payment } = (await created.json()) as { payment: { id: string; amountMinor: number } };
    expect(payment.amountMinor, 'the lead price, in minor units').to.equal(DEMO.leads[2].price * 100);
    const secret = (await run.app.services.providers.get(DEMO.accountId, 'sandbox'))?.credentials.webhookSecret;

    await run.close();
    run = await startLocal(database, dataDir, printed);
    expect(run.local.emulator.getLead(DEMO.accountId, DEMO.leads[2].id)?.name).to.equal(DEMO.leads[2].name);
    const res = await fetch(`${run.url}/api/v1/leads/${DEMO.leads[2].id}/payments`, { headers: { 'x-auth-token': await token(run.url) } });
    expect(res.status).to.equal(200);
    expect(((await res.json()) as { payments: Array<{ id: string }> }).payments.map((p) => p.id)).to.deep.equal([payment.id]);
    expect((await run.app.services.providers.get(DEMO.accountId, 'sandbox'))?.credentials.webhookSecret).to.equal(secret);

    // The new emulator's lead gets its dramlink fields again on the worker's next pass.
    expect(printed.at(-1)).to.match(/re-sending the dramlink fields of 1 lead/);
    expect(run.local.emulator.leadFieldValue(DEMO.accountId, DEMO.leads[2].id, 'DRAMLINK_STATUS')).to.equal(undefined);
    await run.app.services.syncWorker.runOnce();
    // The demo account's admin works in Russian: dramlink labels its statuses in Russian.
    expect(run.local.emulator.leadFieldValue(DEMO.accountId, DEMO.leads[2].id, 'DRAMLINK_STATUS')).to.equal('Ожидает оплаты');
  });

  it('signs its disposable tokens with a client secret made for this run, never a fixed one', async () => {
    const first = run.config.amocrm.clientSecret!;
    expect(first).to.match(/^[A-Za-z0-9_-]{43}$/);
    await run.close();
    run = await startLocal(database, dataDir, printed);
    expect(run.config.amocrm.clientSecret)
      .to.match(/^[A-Za-z0-9_-]{43}$/)
      .and.not.equal(first);
    expect(readFileSync(new URL('../../../scripts/local-mode/index.ts', import.meta.url), 'utf8')).not.to.match(/clientSecret: '[^']+'/);
  });

  it('refuses a database that holds any account but the demo one, before starting anything', async () => {
    const real = openDatabase(':memory:');
    const now = Date.now();
    real.db
      .insert(accounts)
      .values({ id: 28_123_456, subdomain: 'realshop', baseDomain: 'amocrm.ru', state: 'active', createdAt: now, updatedAt: now })
      .run();
    const config = loadConfig({ SECRETS_KEY: KEY, LOG_LEVEL: 'error', DATABASE_URL: ':memory:' });
    const logger = createLogger({ level: 'error', stream: new PassThrough() });
    const refused = await startLocalMode({ config, logger, databasePath: './data/prod-copy.db', store: createSqliteStore(real) }).catch(
      (e: unknown) => e,
    );
    expect(String(refused)).to.match(
      /local mode refuses the database \.\/data\/prod-copy\.db: it holds accounts other than the demo account \(28123456\)/,
    );
    expect(config.amocrm.baseUrl, 'no emulator was started and nothing was pointed at one').to.equal(undefined);
    real.close();
  });

  it('re-enables a sandbox an admin turned off, keeping its secret', async () => {
    const providers = run.app.services.providers;
    const before = (await providers.get(DEMO.accountId, 'sandbox'))!;
    await saveProvider(run, DEMO.accountId, { ...before, enabled: false, mode: 'live' });
    await ensureSandboxProvider(run.app.services, 'whsec_' + randomBytes(24).toString('base64'));
    expect(await providers.get(DEMO.accountId, 'sandbox')).to.deep.include({
      enabled: true,
      mode: 'test',
      credentials: before.credentials,
    });
  });
});

describe('local mode is off outside local mode', () => {
  const configured = (env: Record<string, string> = {}) =>
    loadConfig({ AMOCRM_CLIENT_ID: 'id', AMOCRM_CLIENT_SECRET: 'secret', SECRETS_KEY: KEY, LOG_LEVEL: 'error', ...env });

  it('refuses to start local mode in configured mode', async () => {
    const config = configured();
    expect(config.mode).to.equal('configured');
    const logger = createLogger({ level: 'error', stream: new PassThrough() });
    let refused: unknown;
    await startLocalMode({ config, logger, databasePath: ':memory:', store: openSqliteStore(':memory:') }).catch(
      (e: unknown) => (refused = e),
    );
    expect(String(refused)).to.match(/local mode only/);
  });

  for (const sandbox of [true, false]) {
    it(`adds ${sandbox ? 'only the sandbox gateway' : 'nothing'} in configured mode with the sandbox ${sandbox ? 'on' : 'off'}: no playground, no emulator`, async () => {
      const config = configured(sandbox ? {} : { SANDBOX_ENABLED: 'false' });
      const logger = createLogger({ level: 'error', stream: new PassThrough() });
      const database = openDatabase(':memory:');
      const addOn = await devWingAddOn({ config, logger, databasePath: ':memory:', store: createSqliteStore(database) });
      expect(addOn.afterListen, 'no install step').to.equal(undefined);
      const app = await createApp(
        { config, clock: systemClock, http: createAxiosHttpClient(), logger, store: createSqliteStore(database) },
        { extend: addOn.extend },
      );
      const server = createServer(app.express);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        expect((await fetch(`${base}/`)).status, 'no playground').to.equal(404);
        // The gateway answers in its own words; without it the app has no such route.
        const api = await fetch(`${base}/sandbox/api/sessions/ses_missing`);
        const code = ((await api.json()) as { error?: { code?: string } }).error?.code;
        expect(code).to.equal(sandbox ? 'sandbox_session_not_found' : 'route_not_found');
      } finally {
        await app.stopBackground();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        database.close();
      }
    });
  }
});
