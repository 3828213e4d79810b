import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { PassThrough } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { sandboxGatewayExtension, type SandboxGateway } from '../../scripts/sandbox-gateway/index.ts';
import { createApp, type App, type AppExtender, type AppOptions } from '../../server/app.ts';
import { createHttpServer } from '../../server/start-server.ts';
import { loadConfig, type Config } from '../../server/config/config.ts';
import type { DatabaseHandle, Db } from '../../server/db/database.ts';
import type { Store } from '../../server/db/store.ts';
import type { Tx } from '../../server/db/tx.ts';
import { createLogger } from '../../server/logging/logger.ts';
import { ManualClock } from '../../server/platform/clock.ts';
import { createAxiosHttpClient, type HttpClient } from '../../server/platform/http-client.ts';
import type { ProviderConfig } from '../../server/providers/provider-configs.ts';
import { openTestStore, txOf, type StoreKind } from './stores.ts';

export interface TestApp {
  app: App;
  url: string;
  clock: ManualClock;
  config: Config;
  /** The app's store: SQLite or PostgreSQL. */
  store: Store;
  /** Its query builder and tables outside a transaction: `await t.db.select().from(t.db.t.payments)` reads rows on either store. */
  db: Tx;
  /** SQLite's handle (SQLite only: throws on PostgreSQL, whose tests read through `db`). */
  readonly database: DatabaseHandle;
  /** SQLite's synchronous drizzle database (SQLite only, as `database`). */
  readonly sqliteDb: Db;
  /** The dev wing's fake bank at /sandbox, mounted when the sandbox provider is enabled (as `npm start` does). */
  sandboxGateway?: SandboxGateway;
  /** Every log line written so far (JSON strings). */
  logs(): string[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  clock?: ManualClock;
  http?: HttpClient;
  /** A SQLite database path; default in-memory. */
  databasePath?: string;
  /** The store: 'sqlite' (default; in memory or at databasePath), 'postgres' (a fresh database), or one already open (closed with the app). */
  store?: StoreKind | Store;
  logLevel?: string;
  /** Configure the app after construction, before listening (e.g. PUBLIC_URL from the port). */
  listen?: boolean;
  /** Budgets of unverified requests; default the production ones. */
  strangerBudgets?: AppOptions['strangerBudgets'];
}

/** The real app on a fresh store (in-memory SQLite by default), a manual clock and loopback HTTP. */
export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const env = {
    DATABASE_URL: ':memory:',
    SECRETS_KEY: randomBytes(32).toString('base64'),
    AMOCRM_CLIENT_ID: 'test-client-id',
    AMOCRM_CLIENT_SECRET: 'test-client-secret',
    LOG_LEVEL: opts.logLevel ?? 'debug',
    ...opts.env,
  };
  const config = loadConfig(env);
  const clock = opts.clock ?? new ManualClock(Date.now());
  const stream = new PassThrough();
  const lines: string[] = [];
  let buffer = '';
  stream.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      lines.push(buffer.slice(0, i));
      buffer = buffer.slice(i + 1);
    }
  });
  const logger = createLogger({ level: config.logLevel, stream });
  const store = typeof opts.store === 'object' ? opts.store : await openTestStore(opts.store ?? 'sqlite', { path: opts.databasePath });
  // Listen first so PUBLIC_URL (used in links and notify URLs) can point at the real port.
  // The production server's limits (timeouts, connection cap) apply here too.
  let handler: ((req: never, res: never) => void) | undefined;
  const server: Server = createHttpServer((req, res) => handler!(req as never, res as never));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (!opts.env?.PUBLIC_URL) config.publicUrl = url;
  if (!opts.env?.AMOCRM_REDIRECT_URI) config.amocrm.redirectUri = `${config.publicUrl}/oauth/callback`;
  let sandboxGateway: SandboxGateway | undefined;
  const gateway: AppExtender = (services) => {
    const extension = sandboxGatewayExtension(services);
    sandboxGateway = extension.gateway;
    return extension;
  };
  const http = opts.http ?? createAxiosHttpClient({ defaultTimeoutMs: 5_000 });
  const app = await createApp(
    { config, clock, http, logger, store },
    { extend: config.sandboxEnabled ? [gateway] : [], strangerBudgets: opts.strangerBudgets },
  );
  handler = app.express as never;
  return {
    app,
    url,
    clock,
    config,
    store,
    db: await txOf(store),
    get database() {
      return sqliteOnly(store);
    },
    get sqliteDb() {
      return sqliteOnly(store).db;
    },
    sandboxGateway,
    logs: () => [...lines],
    close: async () => {
      await app.stopBackground();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

/** Stores one provider's settings as the settings route does (credentials validated and sealed). */
export function saveProvider(t: { app: App }, accountId: number, config: ProviderConfig): Promise<void> {
  const { store, providers } = t.app.services;
  return store.transaction((tx) => providers.save(tx, accountId, config));
}

function sqliteOnly(store: Store): DatabaseHandle {
  if (!store.sqlite) throw new Error('SQLite only: this test reads rows through t.db (a query builder for either store)');
  return store.sqlite;
}

/** An installed account with the sandbox provider enabled (credentials sealed like the settings route does). */
export async function seedAccount(
  t: { app: App; clock: ManualClock },
  input: { id?: number; subdomain?: string; providers?: Record<string, Record<string, unknown>> } = {},
): Promise<number> {
  const { secretBox, store } = t.app.services;
  const db = await txOf(store);
  const { accounts, providerConfigs } = db.t;
  const id = input.id ?? 1001;
  const now = t.clock.now();
  await db
    .insert(accounts)
    .values({
      id,
      subdomain: input.subdomain ?? `acc${id}`,
      baseDomain: 'amocrm.ru',
      state: 'active',
      settings: '{}',
      fieldIds: '{}',
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing();
  const providers = input.providers ?? { sandbox: { webhookSecret: 'whsec_dGVzdC1zZWNyZXQtZm9yLXNhbmRib3g=' } };
  for (const [provider, credentials] of Object.entries(providers)) {
    await db
      .insert(providerConfigs)
      .values({
        accountId: id,
        provider,
        enabled: true,
        mode: 'test',
        credentialsSealed: secretBox.seal(JSON.stringify(credentials)),
        updatedAt: now,
      })
      .onConflictDoNothing();
  }
  return id;
}
