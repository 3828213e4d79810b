import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRODUCTION_NODE_FLAGS } from '../build-server/production-command.ts';
import { runCrmSyncBench } from './crm-sync.ts';
import { runIdleRssBench } from './idle-rss.ts';
import { runWebhookIngestBench, type WebhookIngestResult } from './webhook-ingest.ts';
import { runWidgetBench } from './widget-paint.ts';

/**
 * `npm run bench`: every figure is a ratio against a baseline measured in the same run on the same
 * machine (never an absolute time judged against a fixed number), printed and written to BENCHMARKS.md.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * Measured on main before the production build (the server ran TypeScript through tsx in
 * production mode, with the dev wing loaded), 2026-11-28, on this machine, with this bench.
 */
const BEFORE = { idleRssMb: 172, peakRssMb: 260, notificationsPerSecond: 2658, ratioToBare: 0.34, cpuMsPerNotification: 0.34 };
const fmt = (n: number | null | undefined, digits = 1) => (n === null || n === undefined ? 'n/a' : n.toFixed(digits));

if (!existsSync(join(ROOT, 'dist/widget/script.js'))) {
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/build-widget/main.ts'), '--local'], {
    stdio: 'inherit',
    cwd: ROOT,
  });
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadavg()
  .map((l) => l.toFixed(1))
  .join(' ')} at start`;
const date = new Date().toISOString();
console.log(`dramlink benchmarks, ${date}\n${machine}\n`);

console.log('idle RSS of the production build…');
const idle = await runIdleRssBench();
console.log('webhook ingest…');
const ingest = await runWebhookIngestBench({ notifications: Number(process.env.BENCH_NOTIFICATIONS ?? 8000), connections: 64 });
console.log('CRM sync…');
const crm = await runCrmSyncBench({ payments: 1000, batchSize: 50, rps: 7 });
console.log('widget…');
const widget = await runWidgetBench();

// PostgreSQL rows: BENCH_POSTGRES_URL (a server where the bench may create databases), else the
// cluster `bash scripts/pg-test.sh start` runs on this machine; without either they are left out.
const postgresUrl = process.env.BENCH_POSTGRES_URL || runningCluster();
const pgNotifications = Number(process.env.BENCH_PG_NOTIFICATIONS ?? 3000);
let pg: { one: WebhookIngestResult; three: WebhookIngestResult; crm: Awaited<ReturnType<typeof runCrmSyncBench>> } | undefined;
if (postgresUrl) {
  console.log('webhook ingest on PostgreSQL, 1 instance…');
  const one = await runWebhookIngestBench({ notifications: pgNotifications, connections: 64, postgresUrl, instances: 1 });
  console.log('webhook ingest on PostgreSQL, 3 instances…');
  const three = await runWebhookIngestBench({ notifications: pgNotifications, connections: 64, postgresUrl, instances: 3 });
  console.log('CRM sync on PostgreSQL…');
  pg = { one, three, crm: await runCrmSyncBench({ payments: 1000, batchSize: 50, rps: 7, postgresUrl }) };
}

function runningCluster(): string | undefined {
  try {
    return execFileSync('bash', [join(ROOT, 'scripts/pg-test.sh'), 'url'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .trim()
      .replace(/^DATABASE_URL=/, '');
  } catch {
    return undefined;
  }
}

function pgIngestRow(r: WebhookIngestResult): [string, string, string, string] {
  return [
    `Webhook ingest on PostgreSQL, ${r.instances} instance${r.instances > 1 ? 's' : ''} on one database (64 connections, round-robin)`,
    `${fmt(r.full.rps, 0)} notifications/s (p50 ${r.full.p50ms} ms, p99 ${r.full.p99ms} ms, ${r.full.non2xx} non-2xx, ${r.full.errors} errors; app CPU ${fmt(r.cpuMsPerNotification, 2)} ms per notification); ${r.paidAfter} paid, ${r.inboxRows} inbox rows`,
    `bare Express 200, ${r.instances} process${r.instances > 1 ? 'es' : ''}: ${fmt(r.bare.rps, 0)} req/s`,
    `**${fmt(r.ratio, 2)}×** of bare`,
  ];
}

const ingestGoal = ingest.ratio >= 0.5;
const rows: [string, string, string, string][] = [
  [
    'Webhook ingest (64 connections)',
    `${fmt(ingest.full.rps, 0)} notifications/s through verify → inbox → ledger → outbox (p50 ${ingest.full.p50ms} ms, p99 ${ingest.full.p99ms} ms, ${ingest.full.non2xx} non-2xx, ${ingest.full.errors} errors; server CPU ${fmt(ingest.cpuMsPerNotification, 2)} ms per notification); every payment paid`,
    `bare Express 200: ${fmt(ingest.bare.rps, 0)} req/s (p50 ${ingest.bare.p50ms} ms, p99 ${ingest.bare.p99ms} ms)`,
    `**${fmt(ingest.ratio, 2)}×** of bare (goal ≥ 0.5×: ${ingestGoal ? 'met' : 'not met'})`,
  ],
  [
    'Idle RSS, production build',
    `${idle.rssMb} MB (\`node ${PRODUCTION_NODE_FLAGS.join(' ')} dist/server/main.js\`, ${fmt(idle.settledMs / 1000, 0)} s after /readyz)`,
    `before the build (tsx in production mode): ${BEFORE.idleRssMb} MB`,
    `${fmt(idle.rssMb / BEFORE.idleRssMb, 2)}× of before`,
  ],
  [
    'Peak RSS during ingest',
    `${ingest.peakRssMb} MB (server process, production build)`,
    `before the build (tsx): ${BEFORE.peakRssMb} MB`,
    `${fmt(ingest.peakRssMb / BEFORE.peakRssMb, 2)}× of before (goal ≤ 150 MB: ${ingest.peakRssMb <= 150 ? 'met' : 'not met'})`,
  ],
  [
    'CRM sync: 1,000 payments paid at once, emulator at 7 rps, batch 50',
    `${crm.writeRequests} write requests, ${crm.readRequests} reads, ${crm.rateLimited} × 429, max ${crm.maxRequestsPerSecond} req/s, in step after ${fmt(crm.inStepMs / 1000, 1)} s`,
    `naive one request per write: ${crm.naiveWriteRequests} requests, ≥ ${fmt(crm.naiveProjectedMs / 1000, 0)} s at 7 rps`,
    `**${fmt(crm.naiveWriteRequests / crm.writeRequests, 0)}× fewer requests** (goal ≤ ${crm.writeGoal}: ${crm.writeRequests <= crm.writeGoal ? 'met' : 'not met'}; in step ≤ 10 s: ${crm.inStepMs <= 10_000 ? 'met' : 'not met'}; no 429: ${crm.rateLimited === 0 ? 'met' : 'not met'})`,
  ],
  [
    'Widget script.js',
    `${widget.scriptBytes} bytes minified, ${widget.scriptGzipBytes} gzipped`,
    '30,720 bytes budget',
    `${fmt(widget.scriptBytes / 30720, 2)}× of budget (goal ≤ 1: ${widget.scriptBytes <= 30720 ? 'met' : 'not met'})`,
  ],
  [
    'Panel paint (render → painted, one API answer from memory, median of 30)',
    widget.paintMs === null ? (widget.note ?? 'n/a') : `${fmt(widget.paintMs)} ms, ${widget.requestsPerOpen} request per card open`,
    widget.baselinePaintMs === null ? 'n/a' : `empty widget in the same harness: ${fmt(widget.baselinePaintMs)} ms`,
    widget.ratio === null ? 'n/a' : `${fmt(widget.ratio, 1)}× the empty widget`,
  ],
  ...(pg
    ? [
        pgIngestRow(pg.one),
        pgIngestRow(pg.three),
        [
          'CRM sync on PostgreSQL: 1,000 payments paid at once, emulator at 7 rps, batch 50',
          `${pg.crm.writeRequests} write requests, ${pg.crm.readRequests} reads, ${pg.crm.rateLimited} × 429, max ${pg.crm.maxRequestsPerSecond} req/s, in step after ${fmt(pg.crm.inStepMs / 1000, 1)} s`,
          `naive one request per write: ${pg.crm.naiveWriteRequests} requests`,
          `**${fmt(pg.crm.naiveWriteRequests / pg.crm.writeRequests, 0)}× fewer requests** (goal ≤ ${pg.crm.writeGoal}: ${pg.crm.writeRequests <= pg.crm.writeGoal ? 'met' : 'not met'}; no 429: ${pg.crm.rateLimited === 0 ? 'met' : 'not met'})`,
        ] as [string, string, string, string],
      ]
    : [
        ['PostgreSQL rows', 'left out: no PostgreSQL server (BENCH_POSTGRES_URL, or `bash scripts/pg-test.sh start`)', '', ''] as [
          string,
          string,
          string,
          string,
        ],
      ]),
];

const table = [
  '| benchmark | dramlink | baseline (same run) | ratio |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
].join('\n');
console.log(`\n${table}\n`);
writeFileSync(
  join(ROOT, 'BENCHMARKS.md'),
  `# dramlink benchmarks

Written by \`npm run bench\` on ${date}.
Machine: ${machine}.

Every figure is compared with a baseline measured in the same run on the same machine. The machine
is shared and noisy, so compare ratios, not absolute numbers, across runs.

${table}

How each is measured:
- **Webhook ingest**: ${ingest.notifications} distinct sandbox notifications (Standard Webhooks signatures), each for its own
  payment, after 1,000 others as warm-up for each server, sent by autocannon with ${ingest.connections} connections to the real app in its own process (SQLite file, WAL,
  synchronous=FULL, group commit), then the same bodies to a bare Express handler answering 200 in its own process.
  Both servers are compiled like the production build (esbuild, no tsx) and run with the production flags
  (\`${PRODUCTION_NODE_FLAGS.join(' ')}\`); throughput is timed to the last response. Server CPU per
  notification is the app process's user + system time over the measured run: on a shared machine it moves
  less than throughput.
  Checked after the run: all ${ingest.paidAfter} payments (warm-up included) paid, ${ingest.inboxRows} inbox rows.
- **RSS**: resident set of the server process (VmRSS idle, VmHWM for the peak). Before the production build
  (measured on main, same machine, same bench) the server ran TypeScript through tsx and loaded the dev wing
  (emulator, webpack, resvg) even in production: idle ${BEFORE.idleRssMb} MB, peak ${BEFORE.peakRssMb} MB under this bench,
  ${BEFORE.notificationsPerSecond} notifications/s, ${BEFORE.ratioToBare}× of bare Express (timed then in whole seconds; the same code
  timed to the last response, alternating with the new build on a busy machine: about 3,100/s both, and
  ${BEFORE.cpuMsPerNotification} ms of server CPU per notification both). What changed: the compiled build (no tsx, no dev
  wing in memory), SQLite's page cache capped at 8 MiB instead of 64 MiB, V8's old generation grown to 1.5× the
  live set after a full collection instead of up to 4× (\`--heap-growing-percent=50\`), source maps without
  embedded sources, the webhook routes mounted first.
- **PostgreSQL**: the same ingest bench with the app on a fresh PostgreSQL database (group commit: up to 64
  notifications per transaction), with 1 and with 3 app processes on that one database, the load spread
  round-robin over them, each against as many bare Express processes in the same run; PostgreSQL itself runs on the
  same 2 cores (fsync on, synchronous_commit on). The CRM sync bench likewise on PostgreSQL.
- **CRM sync**: the sync worker against the local amoCRM emulator enforcing 7 requests per rolling second; the naive
  baseline is one PATCH and one note request per payment.
- **Widget**: \`dist/widget/script.js\` as built by \`npm run build:widget\`; paint time in headless Chromium from
  \`render()\` to the frame after the status badge appears, against a widget that renders one static badge.
`,
);
console.log('written to BENCHMARKS.md');
