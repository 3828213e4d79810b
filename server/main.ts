import type { Server } from 'node:http';
import { createApp } from './app.ts';
import { ConfigError, loadConfig, sqlitePath, type Config } from './config/config.ts';
import { loadOrCreateLocalKey } from './config/secrets-key.ts';
import { openDatabase } from './db/database.ts';
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
  const app = createApp({ config, clock: systemClock, http: createAxiosHttpClient(), logger, database });

  const server: Server = app.express.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  app.startBackground();
  logger.info('amopay started', { mode: config.mode, url: config.publicUrl, database: dbPath });
  if (config.mode === 'local') process.stdout.write(`\namopay is running in local mode: open ${config.publicUrl}\n\n`);

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
    database.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  const e = err as { code?: string; message?: string };
  process.stderr.write(`amopay failed to start: ${e.code === 'EADDRINUSE' ? 'the port is already in use; set PORT to a free one' : (e.message ?? String(err))}\n`);
  process.exit(1);
});
