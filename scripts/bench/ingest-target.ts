import express from 'express';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config/config.ts';
import { openStore } from '../../server/db/open-store.ts';
import { createLogger } from '../../server/logging/logger.ts';
import { systemClock } from '../../server/platform/clock.ts';
import { createAxiosHttpClient } from '../../server/platform/http-client.ts';

/**
 * The server under load, in its own process so the load generator does not share its core:
 * BENCH_MODE=full is the real app on BENCH_DB; BENCH_MODE=bare is Express answering 200.
 * Prints {"url"} when listening; answers an IPC "rss" with its peak resident set (VmHWM).
 */
const mode = process.env.BENCH_MODE ?? 'full';
let app: express.Express;
if (mode === 'bare') {
  app = express();
  app.post('/webhooks/:provider/:accountId', express.raw({ type: () => true }), (_req, res) => {
    res.sendStatus(200);
  });
} else {
  const databaseUrl = process.env.BENCH_DATABASE_URL!;
  const config = loadConfig({ DATABASE_URL: databaseUrl, SECRETS_KEY: process.env.BENCH_KEY!, LOG_LEVEL: 'error' });
  app = (
    await createApp({
      config,
      clock: systemClock,
      http: createAxiosHttpClient(),
      logger: createLogger({ level: 'error' }),
      store: await openStore(databaseUrl, { poolSize: Number(process.env.BENCH_POOL ?? 20) }),
    })
  ).express;
}
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
});
process.on('message', (msg) => {
  if (msg === 'rss') {
    const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
    process.send!({ peakRssMb: Math.round(kb / 1024) });
  }
});

// Exit cleanly on SIGINT so a --cpu-prof profile is written.
process.on('SIGINT', () => process.exit(0));
