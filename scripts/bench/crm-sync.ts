import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { startAmocrmEmulator } from '../amocrm-emulator/index.ts';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config/config.ts';
import { openStore } from '../../server/db/open-store.ts';
import { createLogger } from '../../server/logging/logger.ts';
import { applyProviderFact } from '../../server/payments/apply-provider-fact.ts';
import { createPayment } from '../../server/payments/create-payment.ts';
import { openAttempt } from '../../server/payments/open-attempt.ts';
import { systemClock } from '../../server/platform/clock.ts';
import { createAxiosHttpClient } from '../../server/platform/http-client.ts';
import { createScratchDatabase } from '../postgres/scratch-database.ts';

const CLIENT = { clientId: 'bench-client-uuid', clientSecret: 'bench-client-secret', redirectUri: 'https://pay.example.am/oauth/callback' };

export interface CrmSyncBenchResult {
  store: 'sqlite' | 'postgres';
  payments: number;
  batchSize: number;
  rps: number;
  /** Time to mark every payment paid through the ledger (the burst), ms. */
  burstMs: number;
  /** Write requests (PATCH/POST under /api/v4) the emulator received; goal ≤ 2·ceil(n / batch). */
  writeRequests: number;
  writeGoal: number;
  /** Reads (none expected: the marker checks run only after ambiguous failures). */
  readRequests: number;
  /** 429 answers; goal 0. */
  rateLimited: number;
  /** Most API requests the emulator saw in any rolling second. */
  maxRequestsPerSecond: number;
  /** From the first payment turning paid until every lead shows Paid and carries its note, ms; goal ≤ 10 000. */
  inStepMs: number;
  leadsInStep: number;
  paidNotes: number;
  /** A client writing once per event: one PATCH and one note per payment. */
  naiveWriteRequests: number;
  /** That baseline at the same request rate, ms. */
  naiveProjectedMs: number;
  requestRatio: number;
}

function maxInWindow(times: number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let end = 0, start = 0; end < sorted.length; end++) {
    while (sorted[end] - sorted[start] >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/**
 * 1,000 payments become paid at once; the sync worker (its loop running, woken by the commits)
 * brings amoCRM (the emulator, enforcing 7 requests per second) in step. Counts requests and time, beside a naive one-request-per-write client.
 */
export async function runCrmSyncBench(
  opts: { payments?: number; batchSize?: number; rps?: number; postgresUrl?: string } = {},
): Promise<CrmSyncBenchResult> {
  const n = opts.payments ?? 1000;
  const batchSize = opts.batchSize ?? 50;
  const rps = opts.rps ?? 7;
  const emu = await startAmocrmEmulator({ ...CLIENT, rps: 7, maxRecordedRequests: 100_000 });
  const dir = mkdtempSync(join(tmpdir(), 'dramlink-crm-bench-'));
  const scratch = opts.postgresUrl ? await createScratchDatabase(opts.postgresUrl, { prefix: 'dramlink_crm_bench' }) : undefined;
  const databaseUrl = scratch?.url ?? `file:${join(dir, 'bench.db')}`;
  const store = await openStore(databaseUrl);
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    SECRETS_KEY: randomBytes(32).toString('base64'),
    AMOCRM_CLIENT_ID: CLIENT.clientId,
    AMOCRM_CLIENT_SECRET: CLIENT.clientSecret,
    AMOCRM_REDIRECT_URI: CLIENT.redirectUri,
    AMOCRM_BASE_URL: emu.url,
    AMOCRM_RPS: String(rps),
    AMOCRM_BATCH_SIZE: String(batchSize),
    PUBLIC_URL: 'https://pay.example.am',
    LOG_LEVEL: 'error',
  });
  const app = await createApp({
    config,
    clock: systemClock,
    http: createAxiosHttpClient(),
    logger: createLogger({ level: 'error' }),
    store,
  });
  const { ledger } = app.services;
  try {
    // Setup, not measured: install, leads, payments with an open attempt each, their first sync skipped.
    const account = emu.addAccount({ subdomain: 'bench' });
    await app.services.amocrm.install({ code: emu.issueAuthCode(account.id), referer: account.referer, fromWidget: '1' });
    await store.run((tx) =>
      tx.run(
        tx.insert(tx.t.providerConfigs).values({
          accountId: account.id,
          provider: 'sandbox',
          enabled: true,
          mode: 'test',
          credentialsSealed: app.services.secretBox.seal('{}'),
          updatedAt: Date.now(),
        }),
      ),
    );
    const attempts = [];
    store.sqlite?.sqlite.pragma('synchronous = OFF');
    for (let i = 0; i < n; i++) {
      const lead = emu.addLead(account.id, { name: `Order ${i}` });
      const p = await createPayment(ledger, {
        accountId: account.id,
        leadId: lead.id,
        amountMinor: 100_000 + i,
        currency: 'AMD',
        providers: ['sandbox'],
        expiresInHours: 24,
        createdBy: 'bench',
        publicUrl: config.publicUrl,
      });
      attempts.push({
        leadId: lead.id,
        attempt: await openAttempt(ledger, { paymentId: p.id, provider: 'sandbox', orderNo: (c) => `b-${c}` }),
      });
    }
    await store.run((tx) => tx.exec(sql`UPDATE sync_jobs SET state = 'done'`));
    store.sqlite?.sqlite.pragma('synchronous = FULL');
    emu.clearRequests();
    // The worker runs as in production: its loop started, woken by committed changes, polling behind.
    app.startBackground();
    await new Promise((r) => setTimeout(r, 100));

    // Measured: every payment becomes paid within one burst, then the worker drains.
    const t0 = Date.now();
    const burst = attempts.map(({ attempt }) =>
      applyProviderFact(ledger, {
        attemptId: attempt.id,
        actor: 'provider:sandbox',
        fact: {
          status: 'paid',
          amountMinor: attempt.amountMinor,
          currency: 'AMD',
          providerPaymentId: `sbx-${attempt.id}`,
          rawStatus: 'paid',
        },
      }),
    );
    await Promise.all(burst);
    const burstMs = Date.now() - t0;
    const left = async () => {
      const [row] = await store.run((tx) => tx.rows<{ n: number }>(sql`SELECT count(*) AS n FROM sync_jobs WHERE state <> 'done'`));
      return Number(row?.n ?? 0);
    };
    while ((await left()) > 0 && Date.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 20));
    const inStepMs = Date.now() - t0;

    const leadsInStep = attempts.filter(({ leadId }) => emu.leadFieldValue(account.id, leadId, 'DRAMLINK_STATUS') === 'Paid').length;
    // The links' own notes were skipped in setup: every note the emulator holds is a paid one (in the account's language).
    const paidNotes = emu.notes(account.id).length;
    const api = emu.requests.filter((r) => r.path.startsWith('/api/v4/'));
    const writeRequests = api.filter((r) => r.method !== 'GET').length;
    const naiveWriteRequests = 2 * n;
    return {
      store: store.dialect,
      payments: n,
      batchSize,
      rps,
      burstMs,
      writeRequests,
      writeGoal: 2 * Math.ceil(n / batchSize),
      readRequests: api.length - writeRequests,
      rateLimited: api.filter((r) => r.status === 429).length,
      maxRequestsPerSecond: maxInWindow(api.map((r) => r.at)),
      inStepMs,
      leadsInStep,
      paidNotes,
      naiveWriteRequests,
      naiveProjectedMs: Math.round((naiveWriteRequests / rps) * 1000),
      requestRatio: naiveWriteRequests / Math.max(1, writeRequests),
    };
  } finally {
    await app.stopBackground();
    await store.close();
    await scratch?.drop();
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await runCrmSyncBench({ payments: Number(process.env.BENCH_PAYMENTS ?? 1000) });
  console.log(JSON.stringify(r, null, 2));
}
