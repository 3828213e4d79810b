import express from 'express';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config/config.ts';
import { openStore } from '../../server/db/open-store.ts';
import { createCommitBatcher } from '../../server/db/commit-batcher.ts';
import { openDatabase } from '../../server/db/database.ts';
import { hasMatchingSignature, webhookSignatureBase64 } from '../../server/providers/sandbox/standard-webhooks.ts';
import { createLogger } from '../../server/logging/logger.ts';
import { systemClock } from '../../server/platform/clock.ts';
import { createAxiosHttpClient } from '../../server/platform/http-client.ts';

/**
 * The server under load, in its own process so the load generator does not share its core:
 * BENCH_MODE=full is the real app on BENCH_DB; BENCH_MODE=bare is Express answering 200;
 * BENCH_MODE=durable is the least a durable webhook endpoint must do (durableApp).
 * Prints {"url"} when listening; answers an IPC "rss" with its peak resident set (VmHWM).
 */
const mode = process.env.BENCH_MODE ?? 'full';

/**
 * The floor of a durable endpoint: the same Standard Webhooks check over the raw bytes (the same
 * secret, the same ±300 s window), one row inserted (deduplicated by webhook-id) in the same SQLite
 * settings (openDatabase: WAL, synchronous=FULL, the same page cache) through the same group
 * commit, and 200 only once committed. No ledger, no audit, no outbox.
 */
function durableApp(dbPath: string, secret: string): express.Express {
  const database = openDatabase(dbPath);
  database.sqlite.exec(
    'CREATE TABLE IF NOT EXISTS bench_inbox (dedupe_key TEXT PRIMARY KEY, body BLOB NOT NULL, received_at INTEGER NOT NULL)',
  );
  const insert = database.sqlite.prepare('INSERT INTO bench_inbox (dedupe_key, body, received_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const batcher = createCommitBatcher(database.db);
  const durable = express();
  durable.post('/webhooks/:provider/:accountId', express.raw({ type: () => true, limit: '32kb' }), async (req, res) => {
    const body = req.body as Buffer;
    const id = req.get('webhook-id') ?? '';
    const ts = req.get('webhook-timestamp') ?? '';
    const fresh = Math.abs(Date.now() / 1000 - Number(ts)) <= 300;
    if (!fresh || !hasMatchingSignature(req.get('webhook-signature') ?? '', webhookSignatureBase64(secret, id, ts, body))) {
      res.sendStatus(401);
      return;
    }
    try {
      await batcher.run(() => insert.run(id, body, Date.now()));
      res.sendStatus(200);
    } catch {
      res.sendStatus(500);
    }
  });
  return durable;
}

let app: express.Express;
if (mode === 'bare') {
  app = express();
  app.post('/webhooks/:provider/:accountId', express.raw({ type: () => true }), (_req, res) => {
    res.sendStatus(200);
  });
} else if (mode === 'durable') {
  app = durableApp(process.env.BENCH_DB!, process.env.BENCH_SECRET!);
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
// BENCH_PROF: the bench asks for a CPU profile of its measured run only (no start-up, no warm-up).
let profiler: Session | undefined;
process.on('message', (msg) => {
  if (msg === 'rss') {
    const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
    process.send!({ peakRssMb: Math.round(kb / 1024) });
  } else if (msg === 'profile-start') {
    profiler = new Session();
    profiler.connect();
    profiler.post('Profiler.enable', () => profiler!.post('Profiler.start', () => process.send!('profiling')));
  } else if (typeof msg === 'object' && msg !== null && 'profileStop' in msg) {
    profiler?.post('Profiler.stop', (err, result) => {
      if (!err) writeFileSync((msg as { profileStop: string }).profileStop, JSON.stringify(result.profile));
      profiler!.disconnect();
      process.send!('profiled');
    });
  }
});

// Exit cleanly on SIGINT so a --cpu-prof profile is written.
process.on('SIGINT', () => process.exit(0));
