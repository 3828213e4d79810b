import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { fork, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config/config.ts';
import { openDatabase } from '../../server/db/database.ts';
import { openSqliteStore } from '../../server/db/sqlite-store.ts';
import { createLogger } from '../../server/logging/logger.ts';
import { createPayment } from '../../server/payments/create-payment.ts';
import { openAttempt } from '../../server/payments/open-attempt.ts';
import { systemClock } from '../../server/platform/clock.ts';
import { createAxiosHttpClient } from '../../server/platform/http-client.ts';
import { signStandardWebhook } from '../../server/providers/sandbox/standard-webhooks.ts';
import { bundleForNode } from '../build-server/build.ts';
import { openLoop as runOpenLoop, type OpenLoopResult } from './open-loop.ts';
import { REPO_ROOT } from '../build-server/paths.ts';
import { PRODUCTION_NODE_FLAGS } from '../build-server/production-command.ts';

const SECRET = 'whsec_YmVuY2htYXJrLXNlY3JldC0zMi1ieXRlcy1sb25n';
const ACCOUNT = 4242;
/** Notifications sent to each server before the measured run (JIT, connection setup, page cache). */
const WARMUP = 1000;

export interface LoadResult {
  requests: number;
  rps: number;
  p50ms: number;
  p99ms: number;
  non2xx: number;
  errors: number;
}

export interface WebhookIngestResult {
  notifications: number;
  connections: number;
  full: LoadResult;
  bare: LoadResult;
  /** The minimal durable handler (verify, one row, group commit, 200): the true limit of a durable path. */
  durable: LoadResult;
  ratio: number;
  ratioToDurable: number;
  /** The real app at a fixed offered rate, a true open loop (open-loop.ts). */
  openLoop: OpenLoopResult & { offeredRate: number; loop: LoopReport };
  /** The minimal durable handler at the same offered rate. */
  durableOpenLoop: OpenLoopResult & { loop: LoopReport };
  /** The app's CPU per notification over its open-loop run (a lone notification commits alone: no group to share the fsync). */
  openLoopCpuMsPerNotification: number;
  durableOpenLoopCpuMsPerNotification: number;
  /**
   * The same number of notifications through autocannon's `overallRate` (what this row measured
   * before): bursts of about `rate` requests at closed-loop speed at the start of each second.
   */
  burst: LoadResult;
  durableBurst: LoadResult;
  /** The minimal durable handler's CPU per notification over its measured run. */
  durableCpuMsPerNotification: number;
  peakRssMb: number;
  /** User + system CPU time of the app's process over the measured run, per notification: steadier than throughput on a shared machine. */
  cpuMsPerNotification: number;
  paidAfter: number;
  inboxRows: number;
}

async function load(
  url: string,
  bodies: { body: string; headers: Record<string, string> }[],
  connections: number,
  overallRate?: number,
): Promise<LoadResult> {
  let next = 0;
  // Timed here, to the last response: autocannon notices the end only at its next one-second tick,
  // which would round a three-second run to whole seconds.
  const started = process.hrtime.bigint();
  let last = started;
  const instance = autocannon({
    url,
    connections,
    amount: bodies.length,
    // Not an open loop (see open-loop.ts): each connection's per-second budget, spent at once.
    ...(overallRate ? { overallRate } : {}),
    method: 'POST',
    requests: [
      {
        setupRequest: (req) => {
          const b = bodies[next++ % bodies.length];
          return { ...req, method: 'POST', body: b.body, headers: { 'content-type': 'application/json', ...b.headers } };
        },
      },
    ],
  });
  // Without a callback the returned tracker is both the emitter and the promise (the types say only the latter).
  (instance as unknown as autocannon.Instance).on('response', () => (last = process.hrtime.bigint()));
  const result = await instance;
  return {
    requests: result.requests.total,
    rps: result.requests.total / (Number(last - started) / 1e9),
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/**
 * The target compiled like the production build (esbuild, one ESM bundle) and run with the
 * production flags, so the server process measures what production runs: no tsx.
 */
async function buildTarget(): Promise<string> {
  const outDir = join(REPO_ROOT, 'dist', 'bench');
  await bundleForNode({ entries: [{ in: 'scripts/bench/ingest-target.ts', out: 'ingest-target' }], outDir });
  return join(outDir, 'ingest-target.js');
}

function spawnTarget(target: string, env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(target, [], {
    execArgv: [
      ...PRODUCTION_NODE_FLAGS,
      // Diagnostics for the app's process only, e.g. BENCH_FULL_FLAGS=--trace-gc.
      ...(process.env.BENCH_FULL_FLAGS && env.BENCH_MODE === 'full' ? process.env.BENCH_FULL_FLAGS.split(' ') : []),
    ],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let buf = '';
    let found = false;
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      // Other lines (a diagnostic flag's output) are passed through to stderr.
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (!found && line.startsWith('{"url"')) {
          found = true;
          resolve({ child, url: (JSON.parse(line) as { url: string }).url });
        } else process.stderr.write(`${line}\n`);
      }
    });
    child.once('exit', (code) => reject(new Error(`bench target exited with ${code}`)));
  });
}

/** User + system CPU time of a process so far, ms (Linux /proc; clock ticks are 10 ms). */
function cpuMs(child: ChildProcess): number {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** What held the server's event loop during a run (ingest-target.ts): its delay and V8's collections. */
export interface LoopReport {
  loopDelayP50ms: number;
  loopDelayP99ms: number;
  loopDelayMaxMs: number;
  gcCount: number;
  gcTotalMs: number;
  gcP99Ms: number;
  gcMaxMs: number;
  gcByKind: Record<number, number>;
}

/** Sends `msg` to the server's process and resolves with its first answer that `answered` accepts. */
function ask(child: ChildProcess, msg: unknown, answered: (m: unknown) => boolean): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (m: unknown) => {
      if (!answered(m)) return;
      child.off('message', onMessage);
      resolve(m);
    };
    child.on('message', onMessage);
    child.send(msg as string);
  });
}

/**
 * BENCH_PROF=<folder>: a CPU profile of each server's measured closed-loop run only (start-up and
 * warm-up left out), written as <folder>/<mode>.cpuprofile (open it in Chrome's DevTools).
 * BENCH_HEAP=<folder>: instead, a sampling heap profile of the same run with the objects already
 * collected kept in (<mode>.heapprofile): what each notification allocates, by function.
 */
function profiled<T>(child: ChildProcess, mode: string, run: () => Promise<T>): Promise<T> {
  const [folder, start, stop, ext] = process.env.BENCH_HEAP
    ? [process.env.BENCH_HEAP, 'heap-start', 'heapStop', 'heapprofile']
    : [process.env.BENCH_PROF, 'profile-start', 'profileStop', 'cpuprofile'];
  if (!folder) return run();
  return ask(child, start, (m) => m === 'profiling').then(async () => {
    const result = await run();
    mkdirSync(folder, { recursive: true });
    await ask(child, { [stop]: join(folder, `${mode}.${ext}`) }, (m) => m === 'profiled');
    return result;
  });
}

function peakRss(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve((m as { peakRssMb: number }).peakRssMb));
    child.send('rss');
  });
}

/**
 * Sandbox-signed notifications through the whole path (verify, inbox, ledger, outbox, on a file
 * database with synchronous=FULL) against a bare Express handler answering 200. Each server runs
 * in its own process; the same load generator sends the same bodies, in the same run.
 */
export async function runWebhookIngestBench(
  opts: { notifications?: number; connections?: number; openLoopRate?: number; openLoopSeconds?: number } = {},
): Promise<WebhookIngestResult> {
  const n = opts.notifications ?? 4000;
  const connections = opts.connections ?? 64;
  const openLoopRate = opts.openLoopRate ?? 500;
  const openLoopCount = openLoopRate * (opts.openLoopSeconds ?? 8);
  const dir = mkdtempSync(join(tmpdir(), 'dramlink-bench-'));
  const dbPath = join(dir, 'bench.db');
  const key = randomBytes(32).toString('base64');
  const store = openSqliteStore(dbPath);
  const config = loadConfig({ DATABASE_URL: `file:${dbPath}`, SECRETS_KEY: key, LOG_LEVEL: 'error' });
  const app = await createApp({
    config,
    clock: systemClock,
    http: createAxiosHttpClient(),
    logger: createLogger({ level: 'error' }),
    store,
  });
  const { providers } = app.services;

  // Seeding is not what is measured: skip fsyncs while creating the payments.
  store.sqlite!.sqlite.pragma('synchronous = OFF');
  await store.transaction(function* (tx) {
    yield* tx.run(
      tx
        .insert(tx.t.accounts)
        .values({ id: ACCOUNT, subdomain: 'bench', baseDomain: 'amocrm.ru', state: 'active', createdAt: 0, updatedAt: 0 }),
    );
    yield* providers.save(tx, ACCOUNT, { provider: 'sandbox', enabled: true, mode: 'test', credentials: { webhookSecret: SECRET } });
  });
  const now = Math.floor(Date.now() / 1000);
  const bodies: { body: string; headers: Record<string, string> }[] = [];
  // WARMUP more payments than measured: every server gets the same warm-up, with notifications the measured run does not repeat.
  // Then the open-loop run's own.
  // Then the open-loop run's own, then the burst run's.
  for (let i = 0; i < n + WARMUP + 2 * openLoopCount; i++) {
    const p = await createPayment(app.services.ledger, {
      accountId: ACCOUNT,
      leadId: 1000 + i,
      amountMinor: 10000 + i,
      currency: 'AMD',
      providers: ['sandbox'],
      expiresInHours: 24,
      createdBy: 'bench',
      publicUrl: 'http://bench',
    });
    const a = await openAttempt(app.services.ledger, { paymentId: p.id, provider: 'sandbox', orderNo: (c) => `sbx-${c}` });
    const body = JSON.stringify({
      type: 'payment.succeeded',
      data: { sessionId: `ses_${i}`, orderNo: a.providerOrderNo, amountMinor: a.amountMinor, currency: 'AMD' },
    });
    const id = `msg_${i}`;
    bodies.push({
      body,
      headers: { 'webhook-id': id, 'webhook-timestamp': String(now), 'webhook-signature': signStandardWebhook(SECRET, id, now, body) },
    });
  }
  store.sqlite!.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  await store.close();

  const target = await buildTarget();
  const bare = await spawnTarget(target, { BENCH_MODE: 'bare' });
  const warmup = bodies.slice(0, WARMUP);
  const measured = bodies.slice(WARMUP, WARMUP + n);
  const openLoopBodies = bodies.slice(WARMUP + n, WARMUP + n + openLoopCount);
  const burstBodies = bodies.slice(WARMUP + n + openLoopCount);
  /** The open loop, then the burst (each with its own notifications), on a warmed server; CPU per notification of the open loop. */
  const atRate = async (child: ChildProcess, url: string) => {
    await ask(child, 'loop-start', (m) => m === 'looping');
    const before = cpuMs(child);
    const steady = await runOpenLoop(url, openLoopBodies, openLoopRate, connections);
    const cpu = (cpuMs(child) - before) / openLoopBodies.length;
    const { loop } = (await ask(child, 'loop-stop', (m) => typeof m === 'object' && m !== null && 'loop' in m)) as { loop: LoopReport };
    return { steady: { ...steady, loop }, cpu, burst: await load(url, burstBodies, connections, openLoopRate) };
  };
  await load(`${bare.url}/webhooks/sandbox/${ACCOUNT}`, warmup, connections);
  const bareResult = await load(`${bare.url}/webhooks/sandbox/${ACCOUNT}`, measured, connections);
  bare.child.kill();

  const durable = await spawnTarget(target, { BENCH_MODE: 'durable', BENCH_DB: join(dir, 'durable.db'), BENCH_SECRET: SECRET });
  await load(`${durable.url}/webhooks/sandbox/${ACCOUNT}`, warmup, connections);
  const durableCpuBefore = cpuMs(durable.child);
  const durableResult = await profiled(durable.child, 'durable', () =>
    load(`${durable.url}/webhooks/sandbox/${ACCOUNT}`, measured, connections),
  );
  const durableCpuMsPerNotification = (cpuMs(durable.child) - durableCpuBefore) / measured.length;
  const durableAtRate = await atRate(durable.child, `${durable.url}/webhooks/sandbox/${ACCOUNT}`);
  durable.child.kill();

  const full = await spawnTarget(target, { BENCH_MODE: 'full', BENCH_DATABASE_URL: `file:${dbPath}`, BENCH_KEY: key });
  await load(`${full.url}/webhooks/sandbox/${ACCOUNT}`, warmup, connections);
  const cpuBefore = cpuMs(full.child);
  const fullResult = await profiled(full.child, 'full', () => load(`${full.url}/webhooks/sandbox/${ACCOUNT}`, measured, connections));
  const cpuMsPerNotification = (cpuMs(full.child) - cpuBefore) / measured.length;
  const fullAtRate = await atRate(full.child, `${full.url}/webhooks/sandbox/${ACCOUNT}`);
  const peakRssMb = await peakRss(full.child);
  full.child.kill('SIGINT');
  await new Promise((r) => full.child.once('exit', r));

  const check = openDatabase(dbPath);
  const paidAfter = check.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM payments WHERE status = 'paid'`)?.n ?? 0;
  const inboxRows = check.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM provider_events`)?.n ?? 0;
  check.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    notifications: n,
    connections,
    full: fullResult,
    bare: bareResult,
    durable: durableResult,
    ratio: fullResult.rps / bareResult.rps,
    ratioToDurable: fullResult.rps / durableResult.rps,
    openLoop: { ...fullAtRate.steady, offeredRate: openLoopRate },
    durableOpenLoop: durableAtRate.steady,
    openLoopCpuMsPerNotification: fullAtRate.cpu,
    durableOpenLoopCpuMsPerNotification: durableAtRate.cpu,
    burst: fullAtRate.burst,
    durableBurst: durableAtRate.burst,
    durableCpuMsPerNotification,
    peakRssMb,
    cpuMsPerNotification,
    paidAfter,
    inboxRows,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await runWebhookIngestBench({ notifications: Number(process.env.BENCH_NOTIFICATIONS ?? 4000) });
  console.log(JSON.stringify(r, null, 2));
}
