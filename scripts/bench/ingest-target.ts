import express from 'express';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks';
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
// What held the event loop during a run (the bench's open loop): its delay, and V8's collections.
let loopDelay: IntervalHistogram | undefined;
let gcObserver: PerformanceObserver | undefined;
const gcPauses: { kind: number; ms: number }[] = [];
function loopReport() {
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  const pauses = gcPauses.map((p) => p.ms).sort((a, b) => a - b);
  return {
    loopDelayP50ms: ms(loopDelay!.percentile(50)),
    loopDelayP99ms: ms(loopDelay!.percentile(99)),
    loopDelayMaxMs: ms(loopDelay!.max),
    gcCount: pauses.length,
    gcTotalMs: Math.round(pauses.reduce((a, b) => a + b, 0)),
    gcP99Ms: Math.round((pauses[Math.floor(pauses.length * 0.99)] ?? 0) * 100) / 100,
    gcMaxMs: Math.round((pauses.at(-1) ?? 0) * 100) / 100,
    // V8's kinds: 1 scavenge, 2 mark-compact, 4 incremental marking, 8 weak callbacks.
    gcByKind: gcPauses.reduce<Record<number, number>>((m, p) => ((m[p.kind] = (m[p.kind] ?? 0) + 1), m), {}),
  };
}
process.on('message', (msg) => {
  if (msg === 'rss') {
    const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
    process.send!({ peakRssMb: Math.round(kb / 1024) });
  } else if (msg === 'loop-start') {
    loopDelay = monitorEventLoopDelay({ resolution: 1 });
    loopDelay.enable();
    gcPauses.length = 0;
    gcObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        gcPauses.push({ kind: (e as unknown as { detail: { kind: number } }).detail.kind, ms: e.duration });
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    process.send!('looping');
  } else if (msg === 'loop-stop') {
    loopDelay?.disable();
    gcObserver?.disconnect();
    process.send!({ loop: loopReport() });
  } else if (msg === 'heap-start') {
    profiler = new Session();
    profiler.connect();
    profiler.post('HeapProfiler.enable', () =>
      profiler!.post(
        'HeapProfiler.startSampling',
        { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as object,
        () => process.send!('profiling'),
      ),
    );
  } else if (typeof msg === 'object' && msg !== null && 'heapStop' in msg) {
    profiler?.post('HeapProfiler.stopSampling', (err, result) => {
      if (!err) writeFileSync((msg as { heapStop: string }).heapStop, JSON.stringify(result.profile));
      profiler!.disconnect();
      process.send!('profiled');
    });
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
