import express from 'express';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The built widget to measure (BENCH_WIDGET_DIR: another build, e.g. a branch's, in the same harness). */
const WIDGET = process.env.BENCH_WIDGET_DIR ?? join(ROOT, 'dist/widget');

export interface WidgetBenchResult {
  scriptBytes: number;
  scriptGzipBytes: number;
  /** Median ms from render() to the painted panel (one request answered from memory), and the same for an empty widget. */
  paintMs: number | null;
  baselinePaintMs: number | null;
  ratio: number | null;
  /**
   * The earlier method in the same run: the badge polled once per frame, then the next frame's
   * callback; for a badge that appears after render() returns it adds a whole frame.
   */
  polledPaintMs: number | null;
  polledBaselinePaintMs: number | null;
  requestsPerOpen: number | null;
  note?: string;
}

/** What GET /api/v1/leads/:id/payments answers for a paid lead: the panel's one request on open. */
function cannedLeadPayments(now: number) {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    leadId: 101,
    crmStatus: 'paid',
    payments: [
      {
        id: 'pay_1',
        leadId: 101,
        status: 'paid',
        crmStatus: 'paid',
        needsReview: null,
        amountMinor: 4500000,
        currency: 'AMD',
        description: 'Website redesign, deposit',
        link: 'http://localhost:3000/pay/abc',
        expiresAt: iso(now + 3 * 86_400_000),
        createdAt: iso(now - 3_600_000),
        createdBy: 'user:1',
        paidAt: iso(now - 60_000),
        paidAmountMinor: 4500000,
        refundedAmountMinor: 0,
        providerRef: 'ses_123',
        providers: ['sandbox', 'idram'],
        attempts: [
          {
            id: 'att_1',
            provider: 'sandbox',
            providerOrderNo: 'sbx-1',
            providerPaymentId: 'ses_123',
            status: 'paid',
            amountMinor: 4500000,
            createdAt: iso(now - 120_000),
            updatedAt: iso(now - 60_000),
          },
        ],
        history: [
          { at: iso(now - 3_600_000), actor: 'user:1', action: 'created', details: { amountMinor: 4500000 } },
          { at: iso(now - 60_000), actor: 'provider:sandbox', action: 'paid', details: { amountMinor: 4500000, providerRef: 'ses_123' } },
        ],
        sync: { state: 'synced', lastError: null, attempts: 0 },
      },
    ],
    context: {
      leadPriceMinor: 4500000,
      defaultCurrency: 'AMD',
      linkTtlHours: 72,
      enabledProviders: ['sandbox', 'idram'],
      isAdmin: true,
      accountState: 'active',
      exceptions: [],
    },
  };
}

const HARNESS = (
  mode: 'widget' | 'empty',
  runs: number,
  data: unknown,
  langs: unknown,
) => `<!doctype html><html><head><meta charset="utf-8"></head><body>
<div id="widgets_block"></div>
<script src="/require.js"></script>
<script>
window.APP = { data: { current_card: { id: 101 } }, lang_id: 'en', constant: (k) => (k === 'user_rights' ? { is_admin: true } : {}) };
require.config({ paths: { jquery: '/jquery' } });
define('empty-widget', [], function () {
  return function () { this.callbacks = { render: () => { const d = document.createElement('div'); d.className = 'drl-badge'; d.textContent = 'paid'; document.getElementById('widgets_block').appendChild(d); return true; }, init: () => true, bind_actions: () => true, destroy: () => { document.getElementById('widgets_block').innerHTML = ''; } }; return this; };
});
window.requests = 0;
require(['jquery', ${mode === 'widget' ? "'/widget/script.js'" : "'empty-widget'"}], function ($, Widget) {
  const data = ${JSON.stringify(data)};
  const times = [];
  const painted = [];
  function one(i) {
    const w = new Widget();
    w.langs = ${JSON.stringify(langs)};
    w.i18n = (k) => w.langs[k];
    w.get_settings = () => ({ path: '/widget', version: '1', server_url: location.origin });
    w.system = () => ({ area: 'lcard' });
    w.$authorizedAjax = () => { window.requests++; return $.Deferred().resolve(JSON.parse(JSON.stringify(data))).promise(); };
    // The badge's insertion is noticed by an observer (a microtask after it), wherever it happens.
    let inserted = null;
    const observer = new MutationObserver(() => { if (inserted === null && document.querySelector('.drl-badge')) inserted = performance.now(); });
    observer.observe(document.getElementById('widgets_block'), { childList: true, subtree: true });
    const t0 = performance.now();
    w.callbacks.render(); w.callbacks.init(); w.callbacks.bind_actions();
    if (inserted === null && document.querySelector('.drl-badge')) inserted = performance.now();
    const next = () => {
      if (times.length < i + 1 || painted.length < i + 1) return;
      observer.disconnect(); w.callbacks.destroy();
      i + 1 < ${runs} ? setTimeout(() => one(i + 1), 10) : (window.result = { times, painted, requests: window.requests / ${runs} });
    };
    // Painted: the first frame that holds the badge has run its rendering steps (a message posted
    // from that frame's requestAnimationFrame callback is delivered after them), however the badge got there.
    const frame = () => {
      if (inserted === null) return requestAnimationFrame(frame);
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { painted.push(performance.now() - t0); next(); };
      channel.port2.postMessage(0);
    };
    requestAnimationFrame(frame);
    // The earlier figure, kept beside it: the badge looked for once per frame, then the next frame's
    // callback. It lands a whole frame later for a widget whose badge appears after render() returns.
    const done = () => requestAnimationFrame(() => { times.push(performance.now() - t0); next(); });
    const check = () => (document.querySelector('.drl-badge') ? done() : requestAnimationFrame(check));
    check();
  }
  one(0);
});
</script></body></html>`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(url: string): Promise<{ median: number; polledMedian: number; requests: number }> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { result?: unknown }).result, null, { timeout: 60_000 });
    type Result = { times: number[]; painted: number[]; requests: number };
    const r = (await page.evaluate(() => (window as unknown as { result: Result }).result)) as Result;
    return { median: median(r.painted), polledMedian: median(r.times), requests: r.requests };
  } finally {
    await browser.close();
  }
}

/** script.js size, and the panel's paint time against an empty widget in the same harness and browser. */
export async function runWidgetBench(opts: { runs?: number } = {}): Promise<WidgetBenchResult> {
  const scriptPath = join(WIDGET, 'script.js');
  if (!existsSync(scriptPath)) throw new Error('dist/widget/script.js is missing: run npm run build:widget first');
  const script = readFileSync(scriptPath);
  const base: WidgetBenchResult = {
    scriptBytes: script.length,
    scriptGzipBytes: gzipSync(script, { level: 9 }).length,
    paintMs: null,
    baselinePaintMs: null,
    ratio: null,
    polledPaintMs: null,
    polledBaselinePaintMs: null,
    requestsPerOpen: null,
  };
  if (!existsSync('/usr/bin/chromium'))
    return { ...base, note: 'paint time not measured: /usr/bin/chromium is not installed (apt-get install chromium)' };
  const runs = opts.runs ?? 30;
  const langs = JSON.parse(readFileSync(join(WIDGET, 'i18n/en.json'), 'utf8'));
  const data = cannedLeadPayments(Date.now());
  const app = express();
  app.get('/require.js', (_req, res) => res.sendFile(join(ROOT, 'node_modules/requirejs/require.js')));
  app.get('/jquery.js', (_req, res) => res.sendFile(join(ROOT, 'node_modules/jquery/dist/jquery.min.js')));
  app.use('/widget', express.static(WIDGET));
  app.get('/widget.html', (_req, res) => res.type('html').send(HARNESS('widget', runs, data, langs)));
  app.get('/empty.html', (_req, res) => res.type('html').send(HARNESS('empty', runs, data, langs)));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const baseline = await measure(`${origin}/empty.html`);
    const widget = await measure(`${origin}/widget.html`);
    return {
      ...base,
      paintMs: widget.median,
      baselinePaintMs: baseline.median,
      ratio: widget.median / baseline.median,
      polledPaintMs: widget.polledMedian,
      polledBaselinePaintMs: baseline.polledMedian,
      requestsPerOpen: widget.requests,
    };
  } finally {
    server.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await runWidgetBench(), null, 2));
}
