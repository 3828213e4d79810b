import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCrmSyncBench } from './crm-sync.ts';
import { runWebhookIngestBench } from './webhook-ingest.ts';
import { runWidgetBench } from './widget-paint.ts';

/**
 * `npm run bench`: every figure is a ratio against a baseline measured in the same run on the same
 * machine (never an absolute time judged against a fixed number), printed and written to BENCHMARKS.md.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const fmt = (n: number | null | undefined, digits = 1) => (n === null || n === undefined ? 'n/a' : n.toFixed(digits));

if (!existsSync(join(ROOT, 'dist/widget/script.js'))) {
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/build-widget/main.ts')], { stdio: 'inherit', cwd: ROOT });
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadavg()
  .map((l) => l.toFixed(1))
  .join(' ')} at start`;
const date = new Date().toISOString();
console.log(`dramlink benchmarks, ${date}\n${machine}\n`);

console.log('webhook ingest…');
const ingest = await runWebhookIngestBench({ notifications: Number(process.env.BENCH_NOTIFICATIONS ?? 8000), connections: 64 });
console.log('CRM sync…');
const crm = await runCrmSyncBench({ payments: 1000, batchSize: 50, rps: 7 });
console.log('widget…');
const widget = await runWidgetBench();

const ingestGoal = ingest.ratio >= 0.5;
const rows: [string, string, string, string][] = [
  [
    'Webhook ingest (64 connections)',
    `${fmt(ingest.full.rps, 0)} notifications/s through verify → inbox → ledger → outbox (p50 ${ingest.full.p50ms} ms, p99 ${ingest.full.p99ms} ms, ${ingest.full.non2xx} non-2xx, ${ingest.full.errors} errors); every payment paid`,
    `bare Express 200: ${fmt(ingest.bare.rps, 0)} req/s (p50 ${ingest.bare.p50ms} ms, p99 ${ingest.bare.p99ms} ms)`,
    `**${fmt(ingest.ratio, 2)}×** of bare (goal ≥ 0.5×: ${ingestGoal ? 'met' : 'not met'})`,
  ],
  ['Peak RSS during ingest', `${ingest.peakRssMb} MB (server process)`, '—', '—'],
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
  Checked after the run: all ${ingest.paidAfter} payments (warm-up included) paid, ${ingest.inboxRows} inbox rows.
- **CRM sync**: the sync worker against the local amoCRM emulator enforcing 7 requests per rolling second; the naive
  baseline is one PATCH and one note request per payment.
- **Widget**: \`dist/widget/script.js\` as built by \`npm run build:widget\`; paint time in headless Chromium from
  \`render()\` to the frame after the status badge appears, against a widget that renders one static badge.
`,
);
console.log('written to BENCHMARKS.md');
