import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { fork, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config/config.ts';
import { openStore } from '../../server/db/open-store.ts';
import { createLogger } from '../../server/logging/logger.ts';
import { createPayment } from '../../server/payments/create-payment.ts';
import { openAttempt } from '../../server/payments/open-attempt.ts';
import { systemClock } from '../../server/platform/clock.ts';
import { createAxiosHttpClient } from '../../server/platform/http-client.ts';
import { signStandardWebhook } from '../../server/providers/sandbox/standard-webhooks.ts';
import { bundleForNode } from '../build-server/build.ts';
import { REPO_ROOT } from '../build-server/paths.ts';
import { PRODUCTION_NODE_FLAGS } from '../build-server/production-command.ts';
import { createScratchDatabase } from '../postgres/scratch-database.ts';

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

export interface PostgresIngestResult {
  notifications: number;
  connections: number;
  /** Server processes of the app (and of bare Express) the load was spread over. */
  instances: number;
  store: 'sqlite' | 'postgres';
  full: LoadResult;
  bare: LoadResult;
  ratio: number;
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
): Promise<LoadResult & { lastAt: bigint }> {
  let next = 0;
  // Timed here, to the last response: autocannon notices the end only at its next one-second tick,
  // which would round a three-second run to whole seconds.
  const started = process.hrtime.bigint();
  let last = started;
  const instance = autocannon({
    url,
    connections,
    amount: bodies.length,
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
    lastAt: last,
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
      ...(process.env.BENCH_PROF && env.BENCH_MODE === 'full' ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []),
    ],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const line = buf.split('\n')[0];
      if (buf.includes('\n')) resolve({ child, url: (JSON.parse(line) as { url: string }).url });
    });
    child.once('exit', (code) => reject(new Error(`bench target exited with ${code}`)));
  });
}

/** User + system CPU time of a process so far, ms (Linux /proc; clock ticks are 10 ms). */
function cpuMs({ child }: { child: ChildProcess }): number {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function peakRss(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve((m as { peakRssMb: number }).peakRssMb));
    child.send('rss');
  });
}

/** Signed bodies for `count` payments, created in the bench database (not measured). */
async function seedPayments(databaseUrl: string, key: string, count: number): Promise<{ body: string; headers: Record<string, string> }[]> {
  const config = loadConfig({ DATABASE_URL: databaseUrl, SECRETS_KEY: key, LOG_LEVEL: 'error' });
  const store = await openStore(databaseUrl);
  // Seeding is not what is measured: skip fsyncs while creating the payments.
  if (store.sqlite) store.sqlite.sqlite.pragma('synchronous = OFF');
  const app = await createApp({
    config,
    clock: systemClock,
    http: createAxiosHttpClient(),
    logger: createLogger({ level: 'error' }),
    store,
  });
  const { providers } = app.services;
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
  const one = async (i: number) => {
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
    bodies[i] = {
      body,
      headers: { 'webhook-id': id, 'webhook-timestamp': String(now), 'webhook-signature': signStandardWebhook(SECRET, id, now, body) },
    };
  };
  // PostgreSQL: several at a time (each is a transaction of its own); SQLite answers at once anyway.
  for (let i = 0; i < count; i += 16) await Promise.all(Array.from({ length: Math.min(16, count - i) }, (_, j) => one(i + j)));
  if (store.sqlite) store.sqlite.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  await store.close();
  return bodies;
}

/** Paid payments and inbox rows after the run. */
async function countAfter(databaseUrl: string): Promise<{ paidAfter: number; inboxRows: number }> {
  const store = await openStore(databaseUrl);
  try {
    const [row] = await store.run((tx) =>
      tx.rows<{ paid: number; inbox: number }>(
        sql`SELECT (SELECT count(*) FROM payments WHERE status = 'paid') AS paid, (SELECT count(*) FROM provider_events) AS inbox`,
      ),
    );
    return { paidAfter: Number(row.paid), inboxRows: Number(row.inbox) };
  } finally {
    await store.close();
  }
}

/** The bodies spread round-robin over the servers, sent at once, timed to the last answer. */
async function loadAll(
  urls: string[],
  bodies: { body: string; headers: Record<string, string> }[],
  connections: number,
): Promise<LoadResult> {
  const started = process.hrtime.bigint();
  const parts = await Promise.all(
    urls.map((url, i) =>
      load(
        `${url}/webhooks/sandbox/${ACCOUNT}`,
        bodies.filter((_, j) => j % urls.length === i),
        Math.max(1, Math.round(connections / urls.length)),
      ),
    ),
  );
  // To the last answer of any part: awaiting autocannon itself would round the run up to its next one-second tick.
  const lastAt = parts.reduce((m, r) => (r.lastAt > m ? r.lastAt : m), started);
  const seconds = Number(lastAt - started) / 1e9;
  const requests = parts.reduce((n, r) => n + r.requests, 0);
  return {
    requests,
    rps: requests / seconds,
    p50ms: Math.max(...parts.map((r) => r.p50ms)),
    p99ms: Math.max(...parts.map((r) => r.p99ms)),
    non2xx: parts.reduce((n, r) => n + r.non2xx, 0),
    errors: parts.reduce((n, r) => n + r.errors, 0),
  };
}

async function stopTarget(t: { child: ChildProcess }): Promise<void> {
  t.child.kill('SIGINT');
  await new Promise((r) => t.child.once('exit', r));
}

/**
 * Sandbox-signed notifications through the whole path (verify, inbox, ledger, outbox) against a
 * bare Express handler answering 200, the same number of server processes each. SQLite: one
 * process on a file database with synchronous=FULL and group commit. PostgreSQL (`postgresUrl`, a
 * server where the bench may create a database): `instances` processes sharing one database, the
 * load spread round-robin over them as a load balancer would. The same load generator sends the
 * same bodies, in the same run.
 */
export async function runPostgresIngestBench(
  opts: { notifications?: number; connections?: number; postgresUrl?: string; instances?: number } = {},
): Promise<PostgresIngestResult> {
  const n = opts.notifications ?? 4000;
  const connections = opts.connections ?? 64;
  const instances = opts.postgresUrl ? (opts.instances ?? 1) : 1;
  const dir = mkdtempSync(join(tmpdir(), 'dramlink-bench-'));
  const scratch = opts.postgresUrl ? await createScratchDatabase(opts.postgresUrl, { prefix: 'dramlink_bench' }) : undefined;
  const databaseUrl = scratch?.url ?? `file:${join(dir, 'bench.db')}`;
  const key = randomBytes(32).toString('base64');
  try {
    // WARMUP more payments than measured: both servers get the same warm-up, with notifications the measured run does not repeat.
    const bodies = await seedPayments(databaseUrl, key, n + WARMUP);
    const target = await buildTarget();
    const warmup = bodies.slice(0, WARMUP);
    const measured = bodies.slice(WARMUP);

    const bare = await Promise.all(Array.from({ length: instances }, () => spawnTarget(target, { BENCH_MODE: 'bare' })));
    await loadAll(
      bare.map((b) => b.url),
      warmup,
      connections,
    );
    const bareResult = await loadAll(
      bare.map((b) => b.url),
      measured,
      connections,
    );
    await Promise.all(bare.map(stopTarget));

    const full = await Promise.all(
      Array.from({ length: instances }, () => spawnTarget(target, { BENCH_MODE: 'full', BENCH_DATABASE_URL: databaseUrl, BENCH_KEY: key })),
    );
    await loadAll(
      full.map((f) => f.url),
      warmup,
      connections,
    );
    const cpuBefore = full.map(cpuMs);
    const fullResult = await loadAll(
      full.map((f) => f.url),
      measured,
      connections,
    );
    const cpu = full.reduce((sum, f, i) => sum + cpuMs(f) - cpuBefore[i], 0);
    const peakRssMb = Math.max(...(await Promise.all(full.map((f) => peakRss(f.child)))));
    await Promise.all(full.map(stopTarget));

    return {
      notifications: n,
      connections,
      instances,
      store: scratch ? 'postgres' : 'sqlite',
      full: fullResult,
      bare: bareResult,
      ratio: fullResult.rps / bareResult.rps,
      peakRssMb,
      cpuMsPerNotification: cpu / measured.length,
      ...(await countAfter(databaseUrl)),
    };
  } finally {
    await scratch?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await runPostgresIngestBench({
    notifications: Number(process.env.BENCH_NOTIFICATIONS ?? 4000),
    postgresUrl: process.env.BENCH_POSTGRES_URL,
    instances: Number(process.env.BENCH_INSTANCES ?? 1),
  });
  console.log(JSON.stringify(r, null, 2));
}
