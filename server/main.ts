import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { ConfigError, loadConfig, sqlitePath, type Config } from './config/config.ts';
import { loadOrCreateLocalKey } from './config/secrets-key.ts';
import { openDatabase } from './db/database.ts';
import { startLocalMode, type LocalMode } from './local-mode/index.ts';
import { createLogger } from './logging/logger.ts';
import { systemClock } from './platform/clock.ts';
import { createAxiosHttpClient } from './platform/http-client.ts';

/** How long SIGTERM waits for in-flight requests before closing connections anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

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

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger({ level: config.logLevel });
  for (const warning of config.warnings) logger.warn(warning);
  const dbPath = sqlitePath(config.databaseUrl);
  if (!config.secretsKey) config.secretsKey = loadOrCreateLocalKey(dbPath);
  const database = openDatabase(dbPath);
  // Local mode: the amoCRM emulator and the playground; sets config.amocrm before the app reads it.
  const local: LocalMode | undefined = config.mode === 'local' ? await startLocalMode({ config, logger, databasePath: dbPath }) : undefined;
  const app = createApp({ config, clock: systemClock, http: createAxiosHttpClient(), logger, database }, { playground: local?.playground });

  const server: Server = app.express.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  app.startBackground();
  logger.info('dramlink started', { mode: config.mode, url: config.publicUrl, database: dbPath });
  if (config.mode === 'local') process.stdout.write(`\ndramlink is running in local mode: open ${config.publicUrl}\n\n`);
  if (local) {
    const { address, port } = server.address() as AddressInfo;
    const host = address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address.includes(':') ? `[${address}]` : address;
    local.afterListen(app.services, `http://${host}:${port}`).catch((err: unknown) => {
      logger.error('local mode: the demo account could not be installed', { error: (err as Error).message ?? String(err) });
    });
  }

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
    await app.stopBackground();
    await local?.stop().catch(() => undefined);
    database.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  const e = err as { code?: string; message?: string };
  process.stderr.write(
    `dramlink failed to start: ${e.code === 'EADDRINUSE' ? 'the port is already in use; set PORT to a free one' : (e.message ?? String(err))}\n`,
  );
  process.exit(1);
});
