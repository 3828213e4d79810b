import autocannon from 'autocannon';
import express from 'express';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config/config.ts';
import { openDatabase } from '../../server/db/database.ts';
import { accounts } from '../../server/db/schema.ts';
import { createLogger } from '../../server/logging/logger.ts';
import { createPayment } from '../../server/payments/create-payment.ts';
import { openAttempt } from '../../server/payments/open-attempt.ts';
import { systemClock } from '../../server/platform/clock.ts';
import { createAxiosHttpClient } from '../../server/platform/http-client.ts';
import { signStandardWebhook } from '../../server/providers/sandbox/index.ts';

const SECRET = 'whsec_YmVuY2htYXJrLXNlY3JldC0zMi1ieXRlcy1sb25n';
const ACCOUNT = 4242;

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
  ratio: number;
  peakRssMb: number;
  paidAfter: number;
  inboxRows: number;
}

function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

async function load(url: string, bodies: { body: string; headers: Record<string, string> }[], connections: number): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
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
  return {
    requests: result.requests.total,
    rps: result.requests.total / (result.duration || 1),
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/**
 * Sandbox-signed notifications through the whole path (verify, inbox, ledger, outbox, on a file
 * database with synchronous=FULL) against a bare Express handler answering 200, both driven by
 * the same load generator with the same bodies in the same run.
 */
export async function runWebhookIngestBench(opts: { notifications?: number; connections?: number } = {}): Promise<WebhookIngestResult> {
  const n = opts.notifications ?? 4000;
  const connections = opts.connections ?? 64;
  const dir = mkdtempSync(join(tmpdir(), 'amopay-bench-'));
  const database = openDatabase(join(dir, 'bench.db'));
  const config = loadConfig({ DATABASE_URL: `file:${join(dir, 'bench.db')}`, SECRETS_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'error' });
  const logger = createLogger({ level: 'error' });
  const app = createApp({ config, clock: systemClock, http: createAxiosHttpClient(), logger, database });
  const { db, secretBox, providers } = app.services;

  // Seeding is not what is measured: skip fsyncs while creating the payments.
  database.sqlite.pragma('synchronous = OFF');
  db.insert(accounts).values({ id: ACCOUNT, subdomain: 'bench', baseDomain: 'amocrm.ru', state: 'active', createdAt: 0, updatedAt: 0 }).run();
  providers.save(ACCOUNT, { provider: 'sandbox', enabled: true, mode: 'test', credentials: { webhookSecret: SECRET } });
  void secretBox;
  const now = Math.floor(Date.now() / 1000);
  const bodies: { body: string; headers: Record<string, string> }[] = [];
  database.sqlite.transaction(() => {
    for (let i = 0; i < n; i++) {
      const p = createPayment(app.services.ledger, {
        accountId: ACCOUNT, leadId: 1000 + i, amountMinor: 10000 + i, currency: 'AMD', providers: ['sandbox'], expiresInHours: 24, createdBy: 'bench', publicUrl: 'http://bench',
      });
      const a = openAttempt(app.services.ledger, { paymentId: p.id, provider: 'sandbox', orderNo: (c) => `sbx-${c}` });
      const body = JSON.stringify({ type: 'payment.succeeded', data: { sessionId: `ses_${i}`, orderNo: a.providerOrderNo, amountMinor: a.amountMinor, currency: 'AMD' } });
      const id = `msg_${i}`;
      bodies.push({ body, headers: { 'webhook-id': id, 'webhook-timestamp': String(now), 'webhook-signature': signStandardWebhook(SECRET, id, now, body) } });
    }
  })();
  database.sqlite.pragma(`synchronous = ${process.env.BENCH_SYNC ?? 'FULL'}`);
  database.sqlite.pragma('wal_checkpoint(TRUNCATE)');

  const bare = express();
  bare.post('/webhooks/sandbox/:accountId', express.raw({ type: () => true }), (_req, res) => {
    res.sendStatus(200);
  });
  const bareServer = await listen(bare);
  const fullServer = await listen(app.express);

  // Warm both up a little so JIT and connection setup do not favour either.
  await load(`${bareServer.url}/webhooks/sandbox/${ACCOUNT}`, bodies.slice(0, 200), connections);
  const bareResult = await load(`${bareServer.url}/webhooks/sandbox/${ACCOUNT}`, bodies, connections);

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  const fullResult = await load(`${fullServer.url}/webhooks/sandbox/${ACCOUNT}`, bodies, connections);
  clearInterval(sampler);

  const paidAfter = (db.get<{ n: number }>(sql`SELECT count(*) AS n FROM payments WHERE status = 'paid'`))?.n ?? 0;
  const inboxRows = (db.get<{ n: number }>(sql`SELECT count(*) AS n FROM provider_events`))?.n ?? 0;
  bareServer.server.close();
  fullServer.server.close();
  await app.stopBackground();
  database.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    notifications: n,
    connections,
    full: fullResult,
    bare: bareResult,
    ratio: fullResult.rps / bareResult.rps,
    peakRssMb: Math.round(peakRss / 1024 / 1024),
    paidAfter,
    inboxRows,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await runWebhookIngestBench({ notifications: Number(process.env.BENCH_NOTIFICATIONS ?? 4000) });
  console.log(JSON.stringify(r, null, 2));
}
