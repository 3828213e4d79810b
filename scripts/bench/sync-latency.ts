import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { startAmocrmEmulator, type AmocrmEmulator } from '../amocrm-emulator/index.ts';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config/config.ts';
import { openSqliteStore } from '../../server/db/sqlite-store.ts';
import { createLogger } from '../../server/logging/logger.ts';
import { createPayment } from '../../server/payments/create-payment.ts';
import { openAttempt } from '../../server/payments/open-attempt.ts';
import { systemClock } from '../../server/platform/clock.ts';
import { createAxiosHttpClient } from '../../server/platform/http-client.ts';
import { signStandardWebhook } from '../../server/providers/sandbox/standard-webhooks.ts';
import type { SyncWake } from '../../server/sync/sync-wake.ts';

const CLIENT = { clientId: 'bench-client-uuid', clientSecret: 'bench-client-secret', redirectUri: 'https://pay.example.am/oauth/callback' };
const SECRET = 'whsec_YmVuY2htYXJrLXNlY3JldC0zMi1ieXRlcy1sb25n';

export interface LatencyFigures {
  p50ms: number;
  p95ms: number;
  p99ms: number;
  /** Notifications whose lead was written. */
  samples: number;
}

export interface SyncLatencyResult {
  payments: number;
  everyMs: number;
  /** The server as built: committed changes wake the sync worker. */
  evented: LatencyFigures;
  /** The same run with the wake switched off: the worker's one-second poll alone. */
  pollingOnly: LatencyFigures;
  /** amoCRM write requests per payment in the evented run (coalescing shrinks it below 2). */
  evented429: number;
  eventedWriteRequests: number;
}

/** Nearest-rank percentile. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** A wake that never wakes: the worker is left to its poll (the baseline). */
const noWake: SyncWake = { notify: () => undefined, subscribe: () => () => undefined };

/** When the emulator finished the first lead PATCH naming `leadId` after `from` (ms since the epoch). */
function leadWrittenAt(emu: AmocrmEmulator, leadId: number, from: number): number | undefined {
  for (const r of emu.requests) {
    if (r.method !== 'PATCH' || r.path !== '/api/v4/leads' || r.status !== 200 || r.at + r.durationMs < from) continue;
    if ((r.body as Array<{ id: number }>).some((item) => item.id === leadId)) return r.at + r.durationMs;
  }
  return undefined;
}

/**
 * Payments paid one every `everyMs` by signed sandbox notifications over HTTP to the real app
 * (file database, synchronous=FULL, background loops running), amoCRM a healthy emulator: the time
 * from each notification's 2xx to the end of the PATCH that wrote its lead's fields.
 */
async function runOnce(opts: {
  payments: number;
  everyMs: number;
  wake?: SyncWake;
}): Promise<{ figures: LatencyFigures; writes: number; rateLimited: number }> {
  const emu = await startAmocrmEmulator({ ...CLIENT, rps: 7, maxRecordedRequests: 100_000 });
  const dir = mkdtempSync(join(tmpdir(), 'dramlink-latency-bench-'));
  const store = openSqliteStore(join(dir, 'bench.db'));
  const config = loadConfig({
    DATABASE_URL: `file:${join(dir, 'bench.db')}`,
    SECRETS_KEY: randomBytes(32).toString('base64'),
    AMOCRM_CLIENT_ID: CLIENT.clientId,
    AMOCRM_CLIENT_SECRET: CLIENT.clientSecret,
    AMOCRM_REDIRECT_URI: CLIENT.redirectUri,
    AMOCRM_BASE_URL: emu.url,
    PUBLIC_URL: 'https://pay.example.am',
    LOG_LEVEL: 'error',
  });
  const logger = createLogger({ level: 'error' });
  const app = await createApp({ config, clock: systemClock, http: createAxiosHttpClient(), logger, store, syncWake: opts.wake });
  const server: Server = app.express.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const account = emu.addAccount({ subdomain: 'latency' });
    await app.services.amocrm.install({ code: emu.issueAuthCode(account.id), referer: account.referer, fromWidget: '1' });
    await app.services.store.transaction((tx) =>
      app.services.providers.save(tx, account.id, {
        provider: 'sandbox',
        enabled: true,
        mode: 'test',
        credentials: { webhookSecret: SECRET },
      }),
    );
    const ledger = app.services.ledger;
    const paying: Array<{ leadId: number; attempt: Awaited<ReturnType<typeof openAttempt>>; acked: number }> = [];
    for (let i = 0; i < opts.payments; i++) {
      const lead = emu.addLead(account.id, { name: `Order ${i}` });
      const p = await createPayment(ledger, {
        accountId: account.id,
        leadId: lead.id,
        amountMinor: 50_000 + i,
        currency: 'AMD',
        providers: ['sandbox'],
        expiresInHours: 24,
        createdBy: 'bench',
        publicUrl: config.publicUrl,
      });
      const a = await openAttempt(ledger, { paymentId: p.id, provider: 'sandbox', orderNo: (c) => `lat-${c}` });
      paying.push({ leadId: lead.id, attempt: a, acked: 0 });
    }
    // Setup is not measured: the links' own CRM writes are taken as done.
    await app.services.store.run((tx) => tx.exec(sql`UPDATE sync_jobs SET state = 'done'`));
    emu.clearRequests();
    app.startBackground();

    for (const [i, p] of paying.entries()) {
      const started = Date.now();
      const body = JSON.stringify({
        type: 'payment.succeeded',
        data: { sessionId: `ses_${i}`, orderNo: p.attempt.providerOrderNo, amountMinor: p.attempt.amountMinor, currency: 'AMD' },
      });
      const ts = Math.floor(started / 1000);
      const res = await fetch(`${url}/webhooks/sandbox/${account.id}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': `msg_${i}`,
          'webhook-timestamp': String(ts),
          'webhook-signature': signStandardWebhook(SECRET, `msg_${i}`, ts, body),
        },
        body,
      });
      await res.arrayBuffer();
      if (res.status >= 300) throw new Error(`notification answered ${res.status}`);
      p.acked = Date.now();
      await new Promise((r) => setTimeout(r, Math.max(0, started + opts.everyMs - Date.now())));
    }
    // Let the last ones land (the poll is at most a second away).
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && paying.some((p) => leadWrittenAt(emu, p.leadId, p.acked) === undefined))
      await new Promise((r) => setTimeout(r, 50));

    const latencies = paying
      .map((p) => {
        const written = leadWrittenAt(emu, p.leadId, p.acked);
        return written === undefined ? undefined : written - p.acked;
      })
      .filter((v): v is number => v !== undefined)
      .sort((a, b) => a - b);
    const api = emu.requests.filter((r) => r.path.startsWith('/api/v4/'));
    return {
      figures: {
        p50ms: percentile(latencies, 50),
        p95ms: percentile(latencies, 95),
        p99ms: percentile(latencies, 99),
        samples: latencies.length,
      },
      writes: api.filter((r) => r.method !== 'GET').length,
      rateLimited: api.filter((r) => r.status === 429).length,
    };
  } finally {
    await app.stopBackground();
    await new Promise((r) => server.close(r));
    await store.close();
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The evented server, then the same workload with the wake off (poll only), in one run. */
export async function runSyncLatencyBench(opts: { payments?: number; everyMs?: number } = {}): Promise<SyncLatencyResult> {
  const payments = opts.payments ?? 60;
  const everyMs = opts.everyMs ?? 250;
  const evented = await runOnce({ payments, everyMs });
  const polling = await runOnce({ payments, everyMs, wake: noWake });
  return {
    payments,
    everyMs,
    evented: evented.figures,
    pollingOnly: polling.figures,
    evented429: evented.rateLimited,
    eventedWriteRequests: evented.writes,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await runSyncLatencyBench({ payments: Number(process.env.BENCH_PAYMENTS ?? 60) });
  console.log(JSON.stringify(r, null, 2));
}
