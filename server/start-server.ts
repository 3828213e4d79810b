import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createApp, type App, type AppExtender } from './app.ts';
import { ConfigError, loadConfig, sqlitePath, type Config } from './config/config.ts';
import { loadOrCreateLocalKey } from './config/secrets-key.ts';
import { openStore } from './db/open-store.ts';
import { isPostgresUrl, type Store } from './db/store.ts';
import { createLogger, type Logger } from './logging/logger.ts';
import { systemClock } from './platform/clock.ts';
import { createAxiosHttpClient } from './platform/http-client.ts';

/** How long SIGTERM waits for in-flight requests before closing connections anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * What one client may hold of the server: the headers within 10 s and the whole request within
 * 15 s (every body we take is at most 64 KB), an idle keep-alive connection for 5 s, and at most
 * 1024 connections at once; checked every second, so a slow sender is cut off on time.
 */
export interface ServerLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  checkIntervalMs: number;
  maxConnections: number;
  maxHeadersCount: number;
}

export const SERVER_LIMITS: Readonly<ServerLimits> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  keepAliveTimeoutMs: 5_000,
  checkIntervalMs: 1_000,
  maxConnections: 1024,
  maxHeadersCount: 100,
};

/** The HTTP server every entry (and the test app) serves the app with, with SERVER_LIMITS applied. */
export function createHttpServer(listener: RequestListener, limits: Readonly<ServerLimits> = SERVER_LIMITS): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
    },
    listener,
  );
  server.maxConnections = limits.maxConnections;
  server.maxHeadersCount = limits.maxHeadersCount;
  return server;
}

/** What an entry point adds to the server it starts; the production entry adds nothing. */
export interface ServerAddOn {
  /** Passed to createApp (routers mounted before the 404 handler, things stopped with the app). */
  extend?: readonly AppExtender[];
  /** Once the server listens; `serverUrl` reaches it over loopback. A rejection is logged, not fatal. */
  afterListen?(app: App, serverUrl: string): Promise<void>;
  /** After the app and its loops stopped, before the database closes. */
  stop?(): Promise<void>;
}

export interface StartServerOptions {
  /** A reason this entry must not run with this configuration: printed as one line, then exit 1. */
  refuse?(config: Config): string | undefined;
  /** Runs before the app is built and may adjust the config (local mode points amoCRM at its emulator). */
  addOn?(start: { config: Config; logger: Logger; databasePath: string; store: Store }): Promise<ServerAddOn>;
}

/**
 * Starts the server: config validated once, the database opened and migrated, the app built and
 * listening, the background loops running; SIGTERM/SIGINT drain in-flight requests and exit 0.
 * Shared by the production entry (server/main.ts) and the dev wing's (scripts/local-mode/main.ts).
 */
export async function startServer(options: StartServerOptions = {}): Promise<void> {
  const config = readConfig();
  const refusal = options.refuse?.(config);
  if (refusal) exitWith(refusal);
  const logger = createLogger({ level: config.logLevel });
  for (const warning of config.warnings) logger.warn(warning);
  const databasePath = localFilesPath(config.databaseUrl);
  if (!config.secretsKey) config.secretsKey = loadOrCreateLocalKey(databasePath);
  // Migrations run here, before anything is served; PostgreSQL's under an advisory lock, so instances starting together take turns.
  const store = await openStore(config.databaseUrl, {
    poolSize: config.databasePoolSize,
    onIdleError: (err) => logger.warn('database: an idle connection failed; the pool opens another', { error: err.message }),
  });
  const addOn = (await options.addOn?.({ config, logger, databasePath, store })) ?? {};
  const app = await createApp({ config, clock: systemClock, http: createAxiosHttpClient(), logger, store }, { extend: addOn.extend });

  const server = await listen(app, config);
  app.startBackground();
  logger.info('dramlink started', { mode: config.mode, url: config.publicUrl, database: store.location });
  addOn.afterListen?.(app, loopbackUrl(server)).catch((err: unknown) => {
    logger.error('the start-up step after listening failed', { error: (err as Error).message ?? String(err) });
  });
  stopOnSignals(server, logger, async () => {
    await app.stopBackground();
    await addOn.stop?.().catch(() => undefined);
    await store.close();
  });
}

/**
 * The SQLite file; for PostgreSQL a name in ./data, the folder where local mode keeps its own files
 * (the generated SECRETS_KEY, the sandbox secret, doctor's pointer to the emulator).
 */
function localFilesPath(databaseUrl: string): string {
  return isPostgresUrl(databaseUrl) ? resolve('data', 'postgres') : sqlitePath(databaseUrl);
}

/** The message of an error that stops the start, as one line on stderr. */
export function startFailure(err: unknown): never {
  const e = err as { code?: string; message?: string };
  exitWith(
    `dramlink failed to start: ${e.code === 'EADDRINUSE' ? 'the port is already in use; set PORT to a free one' : (e.message ?? String(err))}`,
  );
}

function exitWith(line: string): never {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

function readConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const line of err.problems) process.stderr.write(`config error: ${line}\n`);
      process.exit(1);
    }
    throw err;
  }
}

async function listen(app: App, config: Config): Promise<Server> {
  const server = createHttpServer(app.express);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
    server.listen(config.port, config.host);
  });
  return server;
}

function loopbackUrl(server: Server): string {
  const { address, port } = server.address() as AddressInfo;
  const host = address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${port}`;
}

function stopOnSignals(server: Server, logger: Logger, stopRest: () => Promise<void>): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    // Stop accepting, let in-flight requests finish, then stop workers and close the database.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    await closed;
    clearTimeout(timer);
    await stopRest();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
