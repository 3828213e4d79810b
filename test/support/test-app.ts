import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { PassThrough } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { sandboxGatewayExtension, type SandboxGateway } from '../../scripts/sandbox-gateway/index.ts';
import { createApp, type App, type AppExtender, type AppOptions } from '../../server/app.ts';
import { createHttpServer } from '../../server/start-server.ts';
import { loadConfig, type Config } from '../../server/config/config.ts';
import { openDatabase, type DatabaseHandle } from '../../server/db/database.ts';
import { accounts, providerConfigs } from '../../server/db/schema.ts';
import { createLogger } from '../../server/logging/logger.ts';
import { ManualClock } from '../../server/platform/clock.ts';
import { createAxiosHttpClient, type HttpClient } from '../../server/platform/http-client.ts';

export interface TestApp {
  app: App;
  url: string;
  clock: ManualClock;
  config: Config;
  database: DatabaseHandle;
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
  /** A database path; default in-memory. */
  databasePath?: string;
  logLevel?: string;
  /** Configure the app after construction, before listening (e.g. PUBLIC_URL from the port). */
  listen?: boolean;
  /** Budgets of unverified requests; default the production ones. */
  strangerBudgets?: AppOptions['strangerBudgets'];
}

/** The real app on an in-memory database, a manual clock and loopback HTTP. */
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
  const database = openDatabase(opts.databasePath ?? ':memory:');
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
  const app = createApp(
    { config, clock, http, logger, database },
    { extend: config.sandboxEnabled ? [gateway] : [], strangerBudgets: opts.strangerBudgets },
  );
  handler = app.express as never;
  return {
    app,
    url,
    clock,
    config,
    database,
    sandboxGateway,
    logs: () => [...lines],
    close: async () => {
      await app.stopBackground();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      database.close();
    },
  };
}

/** An installed account with the sandbox provider enabled (credentials sealed like the settings route does). */
export function seedAccount(
  t: { app: App; clock: ManualClock },
  input: { id?: number; subdomain?: string; providers?: Record<string, Record<string, unknown>> } = {},
): number {
  const { db, secretBox } = t.app.services;
  const id = input.id ?? 1001;
  const now = t.clock.now();
  db.insert(accounts)
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
    .onConflictDoNothing()
    .run();
  const providers = input.providers ?? { sandbox: { webhookSecret: 'whsec_dGVzdC1zZWNyZXQtZm9yLXNhbmRib3g=' } };
  for (const [provider, credentials] of Object.entries(providers)) {
    db.insert(providerConfigs)
      .values({
        accountId: id,
        provider,
        enabled: true,
        mode: 'test',
        credentialsSealed: secretBox.seal(JSON.stringify(credentials)),
        updatedAt: now,
      })
      .onConflictDoNothing()
      .run();
  }
  return id;
}
