import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * The whole local-mode loop in headless Chromium: the real server (`node --import tsx
 * scripts/local-mode/main.ts`, what `npm start` runs in local mode, a temp working directory) with its amoCRM emulator and playground;
 * a manager creates a link on the lead card, a customer pays it in the sandbox checkout, and the
 * panel, the lead's dramlink fields and its notes follow. Skips only when Debian's chromium is absent
 * (CI installs it).
 */
const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = path.join(ROOT, 'scripts/local-mode/main.ts');
const TSX = import.meta.resolve('tsx');
const ACCOUNT = 31_000_001;
const LEADS = { paid: 24_000_001, empty: 24_000_002, awaiting: 24_000_003 };
/**
 * Server values the widget shows through a label lookup but has no label for yet. Known gap:
 * the server writes the history action `attempt_opened` while widget/i18n has
 * `history.attempt_created`. Remove an entry once widget/i18n/*.json has it; anything else
 * shown raw fails the test.
 */
const KNOWN_UNLABELLED = new Set<string>();
/** A raw i18n key on screen, e.g. `panel.create.title` or `status.paid`. */
const RAW_KEY =
  /\b(?:widget|settings|advanced|status|attempt_status|providers|channels|review|history|panel|create|errors|exceptions|setup)\.[a-z_]+(?:\.[a-z_]+)*\b/;

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface EmulatedLead {
  fields: Record<string, Array<{ value: unknown }>>;
  notes: Array<{ note_type: string; params: { service?: string; text?: string } }>;
}

describe('playground in headless Chromium (local mode, real server)', function () {
  this.timeout(120_000);
  let cwd: string;
  let base: string;
  let server: ChildProcess | undefined;
  let out = '';
  let browser: Browser | undefined;
  const metrics: Record<string, unknown> = {};

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`    skipped: ${CHROMIUM} is missing (apt-get install -y chromium); CI installs it`);
      this.skip();
    }
    cwd = mkdtempSync(path.join(tmpdir(), 'dramlink-playground-'));
    const port = await freePort();
    base = `http://localhost:${port}`;
    server = spawn(process.execPath, ['--import', TSX, MAIN], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd, PORT: String(port), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
    server.stderr!.on('data', (c: Buffer) => (out += c.toString('utf8')));
    // Ready when the demo account is installed; a stale dist/widget is rebuilt meanwhile (script.js waits for it).
    const deadline = Date.now() + 90_000;
    while (!/local mode: amoCRM emulator at .* installed through/.test(out)) {
      if (server.exitCode !== null) throw new Error(`the server exited:\n${out}`);
      if (Date.now() > deadline) throw new Error(`local mode did not come up in 90 s:\n${out}`);
      await sleep(100);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
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
  });

  after(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    if (cwd) rmSync(cwd, { recursive: true, force: true });
    if (Object.keys(metrics).length) {
      console.log('    measured (not asserted except requests ≤ 1):');
      for (const [k, v] of Object.entries(metrics)) console.log(`      ${k}: ${v}`);
    }
  });

  /** Opens the playground on a lead and waits for the panel's first painted state; counts /api/v1 calls. */
  async function openCard(
    page: Page,
    q: { lead: number; lang: 'ru' | 'en'; user?: 'admin' | 'manager' },
  ): Promise<{ apiRequests: number; initToPaintMs: number }> {
    let apiRequests = 0;
    const count = (r: { url(): string }) => {
      if (new URL(r.url()).pathname.startsWith('/api/v1/')) apiRequests++;
    };
    page.on('request', count);
    await page.goto(`${base}/?lead=${q.lead}&lang=${q.lang}&user=${q.user ?? 'admin'}`);
    await page.waitForSelector('body[data-panel-painted]', { timeout: 60_000 });
    await sleep(300); // anything else the card would fetch has had its chance to start
    page.off('request', count);
    expect(apiRequests, `API requests when lead ${q.lead} opens`).to.be.at.most(1);
    const initToPaintMs = await page.evaluate(
      () =>
        (window as unknown as { dramlinkPlayground: { state: { metrics: { initToPaintMs: number } } } }).dramlinkPlayground.state.metrics
          .initToPaintMs,
    );
    return { apiRequests, initToPaintMs };
  }

  async function emulatedLead(leadId: number): Promise<EmulatedLead> {
    const res = await fetch(`${base}/playground/emulator/accounts/${ACCOUNT}/leads/${leadId}`);
    expect(res.status).to.equal(200);
    return (await res.json()) as EmulatedLead;
  }

  const field = (lead: EmulatedLead, code: string) => lead.fields[code]?.[0]?.value;
  const dramlinkNotes = (lead: EmulatedLead) =>
    lead.notes.filter((n) => n.note_type === 'service_message' && n.params.service === 'dramlink').map((n) => n.params.text ?? '');

  /** Every label the panel shows: its rendered text, option texts, placeholders and aria-labels. */
  async function panelLabels(page: Page): Promise<string[]> {
    return page.$eval('#drl-panel-root', (root) => {
      const out = [(root as HTMLElement).innerText];
      root.querySelectorAll('option').forEach((o) => out.push(o.textContent ?? ''));
      root.querySelectorAll('[placeholder],[aria-label],[title]').forEach((el) => {
        for (const a of ['placeholder', 'aria-label', 'title']) if (el.getAttribute(a)) out.push(el.getAttribute(a)!);
      });
      return out;
    });
  }

  /** History actions, attempt providers and statuses: values from the server, shown through labelOr. A raw one is lowercase snake_case. */
  async function serverValueLabels(page: Page): Promise<string[]> {
    return page.$$eval('#drl-panel-root .drl-history > li, #drl-panel-root .drl-table tbody tr', (nodes) =>
      nodes.flatMap((n) => {
        if (n.tagName === 'TR')
          return Array.from(n.querySelectorAll('td'))
            .filter((_, i) => i === 0 || i === 2)
            .map((td) => td.textContent ?? '');
        // "<date> <action> · <actor> (<details>)": the action sits between the date span and " · ".
        const date = n.querySelector('.drl-muted')?.textContent ?? '';
        return [(n.textContent ?? '').slice(date.length).split(' · ')[0].trim()];
      }),
    );
  }

  it('creates a link on the lead card, pays it in the sandbox, and the panel, the lead fields and the notes follow', async () => {
    const page = await browser!.newPage();
    const opened = await openCard(page, { lead: LEADS.paid, lang: 'en' });
    metrics['API requests when a card opens'] = opened.apiRequests;
    metrics['init → painted panel, first open'] = `${opened.initToPaintMs.toFixed(1)} ms (headless Chromium, an empty lead)`;
    expect(opened.apiRequests, 'one request when a card opens').to.be.at.most(1);

    // The create form, amount prefilled from the lead's price (450 000).
    expect(await page.inputValue('#drl-panel-root [data-name="amount"]')).to.equal('450000');
    await page.click('#drl-panel-root [data-action="create-submit"]');
    const link = await page.locator('#drl-panel-root .drl-linkinput').first().inputValue({ timeout: 15_000 });
    expect(link).to.match(/\/pay\/[^/]+$/);
    expect(await page.textContent('#drl-panel-root .drl-b-awaiting_payment')).to.equal('Awaiting payment');

    // The customer: the pay page, the sandbox checkout, Pay, and back on our return page.
    const customer = await browser!.newPage();
    await customer.goto(link);
    await customer.click('form:has(input[name="provider"][value="sandbox"]) button');
    await customer.waitForURL(/\/sandbox\/checkout\//);
    await customer.click('button.pay');
    await customer.waitForURL(/\/pay\/[^/]+\/return/);
    await customer.close();

    // Back on the card: it opens again and shows the verified payment.
    await page.bringToFront();
    await page.click('#pg-reopen');
    await page.waitForSelector('#drl-panel-root .drl-b-paid', { timeout: 15_000 });
    expect(await page.textContent('#drl-panel-root .drl-payment .drl-amount')).to.equal('450\u00a0000\u00a0AMD');
    const panelText = await page.innerText('#drl-panel-root');
    expect(panelText).to.contain('Paid');

    // amoCRM: the sync worker (1 s loop) writes the fields and one note per event.
    let lead = await emulatedLead(LEADS.paid);
    for (const deadline = Date.now() + 20_000; ;) {
      const notes = dramlinkNotes(lead);
      if (field(lead, 'DRAMLINK_STATUS') === 'Paid' && notes.some((n) => n.startsWith('Paid'))) break;
      if (Date.now() > deadline) throw new Error(`the lead did not reach paid: ${JSON.stringify(lead.fields)} ${JSON.stringify(notes)}`);
      await sleep(250);
      lead = await emulatedLead(LEADS.paid);
    }
    const providerRef = field(lead, 'DRAMLINK_PROVIDER_REF');
    expect(providerRef).to.be.a('string').and.not.equal('');
    expect(panelText, 'the panel shows the provider reference').to.contain(String(providerRef));
    expect(Number(field(lead, 'DRAMLINK_AMOUNT')), 'major units').to.equal(450000);
    expect(field(lead, 'DRAMLINK_CURRENCY')).to.equal('AMD');
    expect(field(lead, 'DRAMLINK_LINK')).to.equal(link);
    expect(field(lead, 'DRAMLINK_PAID_AT')).to.be.a('number');

    // Exactly one note per event, still one after a few more worker passes.
    await sleep(2500);
    lead = await emulatedLead(LEADS.paid);
    const notes = dramlinkNotes(lead);
    expect(
      notes.filter((n) => n.startsWith('Payment link for')),
      notes.join('\n'),
    ).to.have.length(1);
    expect(
      notes.filter((n) => n.startsWith('Paid')),
      notes.join('\n'),
    ).to.have.length(1);
    expect(notes, notes.join('\n')).to.have.length(2);
    expect(notes.find((n) => n.startsWith('Paid'))).to.contain(String(providerRef));

    // The playground's lead view shows the same.
    await page.waitForFunction(
      (ref) => document.querySelector('[data-field="DRAMLINK_PROVIDER_REF"] td')?.textContent === ref,
      providerRef,
      { timeout: 5000 },
    );
    expect(await page.textContent('[data-field="DRAMLINK_STATUS"] td')).to.equal('Paid');
    expect(await page.locator('#pg-notes [data-note]').count()).to.equal(2);
    await page.close();
  });

  for (const lang of ['ru', 'en'] as const) {
    it(`shows no raw i18n keys on the panel in ${lang} (empty, awaiting, paid; admin and manager)`, async () => {
      const page = await browser!.newPage();
      const seen: string[] = [];
      for (const [lead, user] of [
        [LEADS.empty, 'admin'],
        [LEADS.awaiting, 'manager'],
        [LEADS.paid, 'admin'],
      ] as const) {
        const opened = await openCard(page, { lead, lang, user });
        if (lead === LEADS.paid && lang === 'en')
          metrics['init → painted panel, warm'] = `${opened.initToPaintMs.toFixed(1)} ms (a lead with a paid payment)`;
        if (lead === LEADS.awaiting && (await page.locator('#drl-panel-root .drl-payment').count()) === 0) {
          await page.click('#drl-panel-root [data-action="create-submit"]');
          await page.waitForSelector('#drl-panel-root .drl-payment', { timeout: 15_000 });
        }
        // Open what is folded: the create form under a payment, and the cancel confirmation.
        if (await page.locator('#drl-panel-root [data-action="create-open"]').count())
          await page.click('#drl-panel-root [data-action="create-open"]');
        const labels = await panelLabels(page);
        if (await page.locator('#drl-panel-root [data-action="cancel"]').count()) {
          await page.click('#drl-panel-root [data-action="cancel"]');
          labels.push(...(await panelLabels(page)));
          await page.click('#drl-panel-root [data-action="back"]');
        }
        for (const text of labels) {
          const raw = RAW_KEY.exec(text);
          expect(raw, `raw i18n key "${raw?.[0]}" on the ${lang} panel of lead ${lead}:\n${text}`).to.equal(null);
        }
        for (const label of await serverValueLabels(page)) {
          if (KNOWN_UNLABELLED.has(label)) continue;
          expect(label, `a server value shown without a ${lang} label on lead ${lead}`).to.not.match(/^[a-z][a-z_]*$/);
        }
        seen.push(labels.join('\n'));
      }
      const all = seen.join('\n');
      if (lang === 'ru') expect(all, 'Russian labels').to.match(/[а-яё]{4,}/i);
      else expect(all, 'no Russian labels in English').to.not.match(/[а-яё]/i);
      await page.close();
    });
  }

  it('measures script.js (minified and gzipped)', () => {
    const script = readFileSync(path.join(ROOT, 'dist/widget/script.js'));
    metrics['script.js minified'] = `${script.length} bytes (${(script.length / 1024).toFixed(1)} KB)`;
    metrics['script.js gzipped'] = `${gzipSync(script, { level: 9 }).length} bytes`;
    expect(script.subarray(0, 7).toString()).to.equal('define(');
  });
});
