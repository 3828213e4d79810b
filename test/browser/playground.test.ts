import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * The whole local-mode loop in headless Chromium, in Russian and in English: the real server
 * (`node --import tsx scripts/local-mode/main.ts`, what `npm start` runs in local mode, a temp
 * working directory) with its amoCRM emulator (a Russian-speaking demo account) and playground; a
 * manager creates a link on the lead card, a customer pays it in the sandbox checkout from another
 * browser, and the panel turns Paid by itself while the card stays open; the lead's dramlink fields,
 * their names and its notes follow in Russian. Every screen is checked by assertions: no raw i18n
 * keys, no English in Russian, no date or name broken mid-word, and axe-core finds no serious or
 * critical accessibility violation (panel, settings, pay page, return page, in both languages).
 * Beyond the card: the lead list's mass action (leads.selected → the bulk view's summary), the
 * Digital Pipeline action's settings (dpSettings) with a lead entering the stage, dramlink's step in
 * the Salesbot designer (its settings, exits and saved code, run through the emulator's Salesbot),
 * and "Send through the Salesbot" on the card (the send recorded; amoCRM's 5xx said, nothing recorded).
 * Skips only when Debian's chromium is absent (CI installs it).
 */
const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = path.join(ROOT, 'scripts/local-mode/main.ts');
const TSX = import.meta.resolve('tsx');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const ACCOUNT = 31_000_001;
const LEADS = { ru: 24_000_001, manager: 24_000_002, en: 24_000_003, invoice: 24_000_004, noPrice: 24_000_005 };
/** The demo account's Salesbot (scripts/local-mode/demo-account.ts): "Send" on the card starts it. */
const DEMO_BOT = 7_300_001;
/** A raw i18n key on screen, e.g. `panel.create.title` or `status.paid`. */
const RAW_KEY =
  /\b(?:widget|settings|advanced|status|attempt_status|providers|channels|review|history|history_detail|panel|create|errors|exceptions|setup|live|diag|actor|reach|dp|sb)\.[a-z_]+(?:\.[a-z_]+)*\b/;
/** What may stay Latin in a Russian screen: names of brands, currencies, people, codes and addresses. */
const LATIN_OK =
  /https?:\/\/\S+|\b(?:dramlink demo|dramlink|amoCRM|Ameriabank|ArCa|Idram|Telcell|Wallet|vPOS|BPC|AMD|USD|EUR|RUB|SMS|Visa|Mastercard|API|ID|Client|EDP_REC_ACCOUNT|DRAMLINK_[A-Z_]+|callback|Anna|Admin|Mher|Manager|GMT|invoice|Salesbot|PayWall|Digital Pipeline)\b|\{\{[\w.]+\}\}|\bsbx[-\w]*|\bses_[-\w]+|\bdrl[-\w]*|#dl\w+|•+\w*|\b[a-z_]+(?: \+ [a-z_]+)+/g;

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
  fieldNames: Record<string, string>;
  notes: Array<{ note_type: string; params: { service?: string; text?: string } }>;
}

interface PlaygroundState {
  metrics: { cardOpens: number; initToPaintMs: number };
  notifications: Array<{ header: string; text: string }>;
}

describe('playground in headless Chromium (local mode, real server)', function () {
  this.timeout(180_000);
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

  /**
   * A page for the manager's card. The playground, like every page of ours, allows only its own
   * scripts (CSP); axe-core is injected as an inline script, so these test pages bypass the CSP.
   */
  const newPage = async () => (await browser!.newContext({ bypassCSP: true })).newPage();

  const playground = (page: Page) =>
    page.evaluate(() => (window as unknown as { dramlinkPlayground: { state: PlaygroundState } }).dramlinkPlayground.state);

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
    return { apiRequests, initToPaintMs: (await playground(page)).metrics.initToPaintMs };
  }

  async function emulatedLead(leadId: number): Promise<EmulatedLead> {
    const res = await fetch(`${base}/playground/emulator/accounts/${ACCOUNT}/leads/${leadId}`);
    expect(res.status).to.equal(200);
    return (await res.json()) as EmulatedLead;
  }

  const field = (lead: EmulatedLead, code: string) => lead.fields[code]?.[0]?.value;
  const dramlinkNotes = (lead: EmulatedLead) =>
    lead.notes.filter((n) => n.note_type === 'service_message' && n.params.service === 'dramlink').map((n) => n.params.text ?? '');

  /** Every label inside `selector`: its rendered text, option texts, placeholders, titles and aria-labels. */
  async function labelsIn(page: Page, selector: string): Promise<string[]> {
    return page.$eval(selector, (root) => {
      const out = [(root as HTMLElement).innerText];
      root.querySelectorAll('option').forEach((o) => out.push(o.textContent ?? ''));
      root.querySelectorAll('[placeholder],[aria-label],[title]').forEach((el) => {
        for (const a of ['placeholder', 'aria-label', 'title']) if (el.getAttribute(a)) out.push(el.getAttribute(a)!);
      });
      return out;
    });
  }

  /** Data from the demo amoCRM account (its pipelines and stages are named in Russian), not our words. */
  const ACCOUNT_DATA =
    /Воронка|Неразобранное|Первичный контакт|Переговоры|Принимают решение|Согласование договора|Успешно реализовано|Закрыто и не реализовано/g;

  /** No raw key anywhere; in Russian no English beyond names, codes and addresses; in English no Cyrillic but the account's own data. */
  function expectWords(labels: string[], lang: 'ru' | 'en', where: string): void {
    for (const text of labels) {
      const raw = RAW_KEY.exec(text);
      expect(raw, `raw i18n key "${raw?.[0]}" on ${where} (${lang}):\n${text}`).to.equal(null);
      if (lang === 'ru') {
        // A stored secret's hint (••••abcd) is the secret's own last characters, not our words.
        const english = text
          .replace(/•+\S{1,4}/g, '')
          .replace(LATIN_OK, '')
          .match(/[A-Za-z]{3,}/g);
        expect(english, `English on the Russian ${where}:\n${text}`).to.equal(null);
      } else {
        expect(text.replace(ACCOUNT_DATA, ''), `Russian on the English ${where}`).to.not.match(/[а-яё]/i);
      }
    }
    if (lang === 'ru') expect(labels.join('\n'), `Russian on ${where}`).to.match(/[а-яё]{4,}/i);
  }

  /** Words in the panel's fields (dates, names, amounts) that the layout split over two lines. */
  async function brokenWords(page: Page): Promise<string[]> {
    return page.$$eval('#drl-panel-root .drl-dl dd:not(.drl-ref), #drl-panel-root .drl-history li, #drl-panel-root .drl-head', (nodes) => {
      const broken: string[] = [];
      for (const node of nodes) {
        const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
        for (let t = walker.nextNode(); t; t = walker.nextNode()) {
          const text = t.textContent ?? '';
          for (const m of text.matchAll(/\S+/g)) {
            const range = document.createRange();
            range.setStart(t, m.index!);
            range.setEnd(t, m.index! + m[0].length);
            const tops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
            if (tops.size > 1) broken.push(m[0]);
          }
        }
      }
      return broken;
    });
  }

  /** axe-core over `context` (a selector, or the whole page): serious and critical violations fail. */
  async function expectAccessible(page: Page, context: string | undefined, where: string): Promise<void> {
    if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async (ctx) => {
      const axe = (
        window as unknown as {
          axe: {
            run(c: unknown, o: unknown): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: unknown }> }> }>;
          };
        }
      ).axe;
      const result = await axe.run(ctx ? document.querySelector(ctx) : document, { resultTypes: ['violations'] });
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map(
          (v) =>
            `${v.id} (${v.impact}): ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${(n as { failureSummary?: string }).failureSummary ?? ''}`).join('; ')}`,
        );
    }, context);
    expect(violations, `accessibility of ${where}`).to.deep.equal([]);
  }

  /** The customer's own browser: the pay page, the sandbox checkout, Pay, and our return page. */
  async function customerPays(link: string, lang: 'ru' | 'en'): Promise<void> {
    // axe is injected as a script; the pay page's CSP (rightly) allows none but its own.
    const context = await browser!.newContext({ bypassCSP: true, viewport: { width: 390, height: 844 } });
    const customer = await context.newPage();
    await customer.goto(`${link}?lang=${lang}`);
    expect(await customer.getAttribute('html', 'lang')).to.equal(lang);
    // The switcher names each language in itself; everything else is in the page's language.
    expectWords([await customer.innerText('.card')], lang, 'pay page');
    expect(await customer.innerText('.card'), 'the time names its zone').to.match(
      lang === 'ru' ? /по времени Еревана, GMT\+4/ : /Yerevan time, GMT\+4/,
    );
    await expectAccessible(customer, undefined, `the ${lang} pay page`);
    await customer.click('form:has(input[name="provider"][value="sandbox"]) button');
    await customer.waitForURL(/\/sandbox\/checkout\//);
    await customer.click('button.pay');
    await customer.waitForURL(/\/pay\/[^/]+\/return/);
    // The return page speaks the language the customer chose on the pay page (remembered), whatever the URL says.
    expect(await customer.getAttribute('html', 'lang')).to.equal(lang);
    expectWords([await customer.innerText('.card')], lang, 'return page');
    await expectAccessible(customer, undefined, `the ${lang} return page`);
    await context.close();
  }

  for (const lang of ['ru', 'en'] as const) {
    it(`walks the loop in ${lang}: create a link, the customer pays, the open card turns Paid by itself and says so`, async () => {
      const page = await newPage();
      const lead = LEADS[lang];
      const opened = await openCard(page, { lead, lang });
      metrics[`init → painted panel (${lang})`] = `${opened.initToPaintMs.toFixed(1)} ms`;
      expectWords(await labelsIn(page, '#drl-panel-root'), lang, 'empty panel');
      await expectAccessible(page, '#drl-panel-root', `the ${lang} create form`);

      // The create form, amount prefilled from the lead's price.
      expect(await page.inputValue('#drl-panel-root [data-name="amount"]')).to.match(/^\d+$/);
      await page.click('#drl-panel-root [data-action="create-submit"]');
      const link = await page.locator('#drl-panel-root .drl-linkinput').first().inputValue({ timeout: 15_000 });
      expect(link).to.match(/\/pay\/[^/]+$/);
      await page.waitForSelector('#drl-panel-root .drl-b-awaiting_payment');
      expectWords(await labelsIn(page, '#drl-panel-root'), lang, 'awaiting panel');
      expect(await brokenWords(page), 'words broken across lines in the panel').to.deep.equal([]);
      await expectAccessible(page, '#drl-panel-root', `the ${lang} awaiting panel`);
      const opensBefore = (await playground(page)).metrics.cardOpens;

      await customerPays(link, lang);

      // Back on the card, which stayed open: it turns Paid by itself and tells the manager.
      await page.bringToFront();
      await page.waitForSelector('#drl-panel-root .drl-payment .drl-b-paid', { timeout: 30_000 });
      const state = await playground(page);
      expect(state.metrics.cardOpens, 'the card was not reopened').to.equal(opensBefore);
      expect(state.notifications.map((n) => n.header)).to.deep.equal([lang === 'ru' ? 'Оплата получена' : 'Payment received']);
      expect(await page.textContent('#drl-panel-root .drl-notice-slot')).to.match(lang === 'ru' ? /Оплачено/ : /Paid/);
      expectWords(await labelsIn(page, '#drl-panel-root'), lang, 'paid panel');
      expect(await brokenWords(page), 'words broken across lines in the paid panel').to.deep.equal([]);
      await expectAccessible(page, '#drl-panel-root', `the ${lang} paid panel`);
      const panelText = await page.innerText('#drl-panel-root');
      expect(panelText, '"Valid until" is gone once paid').to.not.match(lang === 'ru' ? /Действует до/ : /Valid until/);

      // amoCRM: the Russian account's fields, their names and the notes are in Russian, one note per event.
      let emulated = await emulatedLead(lead);
      for (const deadline = Date.now() + 20_000; ;) {
        if (field(emulated, 'DRAMLINK_STATUS') === 'Оплачено' && dramlinkNotes(emulated).length === 2) break;
        if (Date.now() > deadline)
          throw new Error(`the lead did not reach paid: ${JSON.stringify(emulated.fields)} ${JSON.stringify(dramlinkNotes(emulated))}`);
        await sleep(250);
        emulated = await emulatedLead(lead);
      }
      expect(emulated.fieldNames.DRAMLINK_STATUS).to.equal('dramlink: статус оплаты');
      expect(emulated.fieldNames.DRAMLINK_PROVIDER_REF).to.equal('dramlink: номер операции');
      const providerRef = String(field(emulated, 'DRAMLINK_PROVIDER_REF'));
      expect(panelText, 'the panel shows the provider reference').to.contain(providerRef);
      expect(field(emulated, 'DRAMLINK_LINK')).to.equal(link);
      const notes = dramlinkNotes(emulated);
      expect(notes[0]).to.match(/^Создана ссылка на оплату .+ \(Anna Admin\): http.* #dl[0-9a-z]{10}$/);
      expect(notes[1]).to.match(
        /^Клиент оплатил .+ через тестовую песочницу\. Оплата подтверждена провайдером, номер операции \S+\. #dl[0-9a-z]{10}$/,
      );
      expect(notes.join('\n'), 'no raw marker, no "via sandbox"').to.not.match(/\[dramlink:|via sandbox/);

      // The playground's lead view shows the same, by field name.
      await page.waitForFunction(() => document.querySelector('[data-field="DRAMLINK_STATUS"] td')?.textContent === 'Оплачено', undefined, {
        timeout: 5000,
      });
      expect(await page.textContent('[data-field="DRAMLINK_STATUS"] th')).to.equal('dramlink: статус оплаты');
      await page.close();
    });
  }

  for (const lang of ['ru', 'en'] as const) {
    it(`shows the payment settings in ${lang}, loaded from settings.js, in words and accessible`, async () => {
      const page = await newPage();
      let settingsJs = 0;
      page.on('request', (r) => {
        if (/\/playground\/widget\/settings\.js/.test(r.url())) settingsJs++;
      });
      await openCard(page, { lead: LEADS.manager, lang });
      expect(settingsJs, 'the lead card does not load the settings view').to.equal(0);
      await page.goto(`${base}/?lead=${LEADS.manager}&lang=${lang}&user=admin&tab=settings`);
      await page.waitForSelector('.drl-setup [data-action="save"]', { timeout: 30_000 });
      expect(settingsJs).to.equal(1);
      const labels = await labelsIn(page, '.drl-setup');
      expectWords(labels, lang, 'settings');
      expect(await page.locator('.drl-setup .drl-req').count(), 'required fields are marked').to.be.greaterThan(0);
      await expectAccessible(page, '.drl-setup', `the ${lang} settings`);
      // A manager is told it is for administrators: no red error, no Retry.
      await page.goto(`${base}/?lead=${LEADS.manager}&lang=${lang}&user=manager&tab=settings`);
      await page.waitForSelector('.drl-setup .drl-alert', { timeout: 30_000 });
      expect(await page.locator('.drl-setup [data-action="reload"]').count()).to.equal(0);
      expectWords(await labelsIn(page, '.drl-setup'), lang, 'settings for a manager');
      await page.close();
    });
  }

  for (const lang of ['ru', 'en'] as const) {
    it(`shows no raw i18n keys to a manager in ${lang} (empty lead, create form, cancel confirmation)`, async () => {
      const page = await newPage();
      await openCard(page, { lead: LEADS.manager, lang, user: 'manager' });
      if ((await page.locator('#drl-panel-root .drl-payment').count()) === 0) {
        await page.click('#drl-panel-root [data-action="create-submit"]');
        await page.waitForSelector('#drl-panel-root .drl-payment', { timeout: 15_000 });
      }
      await page.click('#drl-panel-root [data-action="create-open"]');
      const labels = await labelsIn(page, '#drl-panel-root');
      await page.click('#drl-panel-root [data-action="cancel"]');
      labels.push(...(await labelsIn(page, '#drl-panel-root')));
      await expectAccessible(page, '#drl-panel-root', `the ${lang} cancel confirmation`);
      await page.click('#drl-panel-root [data-action="back"]');
      expectWords(labels, lang, 'manager panel');
      await page.close();
    });
  }

  it('pays an amoCRM invoice through /paywall/...: the invoice turns paid in the playground and its lead follows', async () => {
    const page = await newPage();
    await openCard(page, { lead: LEADS.invoice, lang: 'ru' });
    await page.waitForSelector('#pg-invoices [data-invoice][data-status="created"]', { timeout: 15_000 });
    const invoicePage = await page.getAttribute('#pg-invoices [data-invoice] a', 'href');
    // The customer's browser: amoCRM's invoice page (the emulator's PayWall) → our method → the sandbox checkout.
    const context = await browser!.newContext({ bypassCSP: true, locale: 'ru-RU', viewport: { width: 390, height: 844 } });
    const customer = await context.newPage();
    await customer.goto(invoicePage!);
    const method = customer.locator('a.method[data-method="sandbox"]');
    expect(await method.getAttribute('href')).to.match(new RegExp(`^${base}/paywall/${ACCOUNT}/\\d+/sandbox$`));
    await method.click();
    await customer.waitForURL(/\/sandbox\/checkout\//);
    await customer.click('button.pay');
    await customer.waitForURL(/\/pay\/[^/]+\/return/);
    expectWords([await customer.innerText('.card')], 'ru', 'return page after the invoice');
    await expectAccessible(customer, undefined, 'the return page after paying an invoice');
    // The same method again: our address says "already paid" and opens no second payment.
    await customer.goto(`${base}/paywall/${ACCOUNT}/${new URL(invoicePage!).pathname.split('/').pop()}/sandbox`);
    expect(await customer.innerText('.card')).to.contain('Этот счёт уже оплачен');
    await context.close();

    // The card that stayed open: the invoice turns paid (with its payment date), the lead's fields follow, the panel says Paid.
    await page.bringToFront();
    await page.waitForSelector('#pg-invoices [data-invoice][data-status="paid"]', { timeout: 30_000 });
    expect(await page.textContent('#pg-invoices [data-invoice]')).to.match(/status paid · paid /);
    await page.waitForFunction(() => document.querySelector('[data-field="DRAMLINK_STATUS"] td')?.textContent === 'Оплачено', undefined, {
      timeout: 30_000,
    });
    const emulated = (await (
      await fetch(`${base}/playground/emulator/accounts/${ACCOUNT}/leads/${LEADS.invoice}`)
    ).json()) as EmulatedLead & {
      invoices: Array<{ status: string; paymentDate: number | null }>;
    };
    expect(emulated.invoices.map((i) => i.status)).to.deep.equal(['paid']);
    expect(emulated.invoices[0].paymentDate).to.be.a('number');
    expect(Number(field(emulated, 'DRAMLINK_AMOUNT'))).to.equal(60_000);
    await page.click('#pg-reopen');
    await page.waitForSelector('#drl-panel-root .drl-payment .drl-b-paid', { timeout: 30_000 });
    await expectAccessible(page, undefined, 'the playground with a paid invoice');
    await page.close();
  });

  it('opens "Send or QR" from the card: reach.js loads only then, with the ready message, the template marker and the QR code', async () => {
    const page = await newPage();
    let reachJs = 0;
    page.on('request', (r) => {
      if (/\/playground\/widget\/reach\.js/.test(r.url())) reachJs++;
    });
    await openCard(page, { lead: LEADS.manager, lang: 'ru', user: 'manager' });
    if ((await page.locator('#drl-panel-root .drl-linkinput').count()) === 0) {
      await page.click('#drl-panel-root [data-action="create-submit"]');
      await page.waitForSelector('#drl-panel-root .drl-linkinput', { timeout: 15_000 });
    }
    expect(reachJs, 'the lead card does not load reach.js').to.equal(0);
    const link = await page.locator('#drl-panel-root .drl-linkinput').first().inputValue();
    await page.click('#drl-panel-root [data-action="reach"]');
    await page.waitForSelector('#drl-reach-root .drl-msg', { timeout: 15_000 });
    expect(reachJs).to.equal(1);
    expect(await page.inputValue('#drl-reach-root .drl-msg')).to.contain(link);
    await page.click('#drl-reach-root [data-action="reach-qr"]');
    const qr = page.locator('#drl-reach-root img.drl-qr');
    expect(await qr.getAttribute('src')).to.equal(`${link}/qr.svg`);
    await page.waitForFunction(
      () => ((document.querySelector('#drl-reach-root img.drl-qr') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0,
    );
    expectWords(await labelsIn(page, '#drl-reach-root'), 'ru', 'send box');
    await expectAccessible(page, '#drl-reach-root', 'the send box');
    await page.close();
  });

  /** The lead's payment link on its card: a live one, made now if it has none (as a manager would). */
  async function liveLinkOnCard(page: Page, lead: number): Promise<string> {
    await openCard(page, { lead, lang: 'ru', user: 'manager' });
    if ((await page.locator('#drl-panel-root .drl-linkinput').count()) === 0) {
      await page.click('#drl-panel-root [data-action="create-submit"]');
      await page.waitForSelector('#drl-panel-root .drl-linkinput', { timeout: 15_000 });
    }
    return page.locator('#drl-panel-root .drl-linkinput').first().inputValue();
  }

  it('creates links from the lead list: ticked leads, "Create links", progress, and a summary that says which were skipped and why; the cards show the links', async () => {
    const page = await newPage();
    const live = await liveLinkOnCard(page, LEADS.manager);
    await page.goto(`${base}/?lang=ru&user=manager&tab=list`);
    await page.waitForSelector(`#pg-list-rows [data-lead="${LEADS.noPrice}"]`);
    expect(await page.locator('#pg-massbar').isVisible(), 'no mass action before a lead is ticked').to.equal(false);
    // Two leads to make links for, one with a live link, one without a price.
    const ticked = [LEADS.ru, LEADS.manager, LEADS.en, LEADS.noPrice];
    for (const id of ticked) await page.check(`#pg-list-rows [data-lead="${id}"] input[type="checkbox"]`);
    expect(await page.textContent('#pg-list-count')).to.equal('4 selected');
    // amoCRM's menu entry runs the widget's leads.selected; the widget reads list_selected() and draws the bulk view.
    await page.click('#pg-mass-dramlink');
    await page.waitForSelector('#drl-bulk-root [data-action="bulk-start"]', { timeout: 15_000 });
    expect(await page.textContent('#drl-bulk-root .drl-reach-title')).to.equal('Ссылки на оплату для выбранных сделок: 4');
    expectWords(await labelsIn(page, '#drl-bulk-root'), 'ru', 'bulk view');
    await expectAccessible(page, '#pg-list', 'the lead list with the bulk view');

    await page.click('#drl-bulk-root [data-action="bulk-start"]');
    await page.waitForFunction(() => /Готово: 4 из 4\./.test(document.querySelector('#drl-bulk-root')?.textContent ?? ''), undefined, {
      timeout: 30_000,
    });
    const summary = await page.innerText('#drl-bulk-root');
    expect(summary).to.contain('Создано ссылок: 2').and.contain('Пропущено: 2').and.not.contain('Не создано');
    expect(summary).to.contain(`#${LEADS.manager}: уже есть ссылка, которую можно оплатить`);
    expect(summary).to.contain(`#${LEADS.noPrice}: нет бюджета`);
    expectWords(await labelsIn(page, '#drl-bulk-root'), 'ru', 'bulk summary');
    await expectAccessible(page, '#drl-bulk-root', 'the bulk summary');

    // The list's columns follow (the server writes the links to amoCRM), and each card shows its link.
    const linkOf = (id: number) => `#pg-list-rows [data-lead="${id}"] [data-col="link"] a`;
    for (const id of [LEADS.ru, LEADS.en]) await page.waitForSelector(linkOf(id), { timeout: 20_000 });
    expect(await page.textContent(linkOf(LEADS.manager))).to.equal(live);
    expect(await page.textContent(`#pg-list-rows [data-lead="${LEADS.noPrice}"] [data-col="link"]`)).to.equal('—');
    const made = await page.textContent(linkOf(LEADS.en));
    await page.click(`#pg-list-rows [data-lead="${LEADS.en}"] a[href^="/?lead="]`);
    await page.waitForSelector('body[data-panel-painted]', { timeout: 30_000 });
    expect(await page.locator('#drl-panel-root .drl-linkinput').first().inputValue()).to.equal(made);
    await page.close();
  });

  it("fills the Digital Pipeline action's settings (the hidden key, the amount as a choice), and a lead entering the stage gets its link", async () => {
    const page = await newPage();
    await page.goto(`${base}/?lang=ru&user=admin&tab=dp`);
    await page.waitForSelector('#pg-dp-tile select', { timeout: 30_000 });
    const key = page.locator('#pg-dp-tile input[name="dramlink_key"]');
    await page.waitForFunction(() => (document.querySelector('#pg-dp-tile input[name="dramlink_key"]') as HTMLInputElement).value !== '');
    expect(await key.getAttribute('type')).to.equal('hidden');
    expect(await page.locator('#pg-dp-tile .widget_settings_block__item_field:has(input[name="dramlink_key"])').isVisible()).to.equal(
      false,
    );
    expect(await page.$$eval('#pg-dp-tile select option', (o) => o.map((x) => x.textContent))).to.deep.equal([
      'Бюджет сделки',
      'Фиксированная сумма',
    ]);
    expect(await page.inputValue('#pg-dp-tile input[name="amount_source"]')).to.equal('lead_price');
    expectWords(await labelsIn(page, '#pg-dp-tile'), 'ru', 'pipeline action settings');
    await expectAccessible(page, '#pg-dp', 'the pipeline action settings');

    // A fixed amount, saved as amoCRM saves the inputs, then the emulator posts amoCRM's hook for a lead.
    await page.selectOption('#pg-dp-tile select', 'fixed');
    await page.fill('#pg-dp-tile input[name="fixed_amount"]', '5000');
    await page.click('#pg-dp-save');
    const saved = JSON.parse((await page.textContent('#pg-dp-saved')) ?? '{}') as Record<string, string>;
    expect(saved).to.include({ amount_source: 'fixed', fixed_amount: '5000', dramlink_key: await key.inputValue() });
    await page.selectOption('#pg-dp-lead', String(LEADS.invoice));
    await page.click('#pg-dp-fire');
    await page.waitForSelector('#pg-dp-answer[data-status]');
    expect(await page.getAttribute('#pg-dp-answer', 'data-status')).to.match(/^2\d\d$/);
    for (const deadline = Date.now() + 20_000; ; await sleep(250)) {
      if (Number(field(await emulatedLead(LEADS.invoice), 'DRAMLINK_AMOUNT')) === 5000) break;
      if (Date.now() > deadline) throw new Error('the lead did not get the 5000 link of its pipeline action');
    }
    await page.close();
  });

  it("saves dramlink's Salesbot designer step (amoCRM's rows, the exits, the bot code) and runs it through the emulator's Salesbot: payment_url comes back", async () => {
    const page = await newPage();
    let reachJs = 0;
    page.on('request', (r) => {
      if (/\/playground\/widget\/reach\.js/.test(r.url())) reachJs++;
    });
    await page.goto(`${base}/?lang=ru&user=admin&tab=sb`);
    // salesbotDesignerSettings loaded reach.js, which turned the amount into a choice.
    await page.waitForSelector('#pg-sb-body select', { timeout: 30_000 });
    expect(reachJs).to.equal(1);
    expect(await page.textContent('#pg-sb-title')).to.equal('dramlink: ссылка на оплату');
    expect(await page.$$eval('#pg-sb-exits li', (li) => li.map((x) => x.textContent))).to.deep.equal([
      'Ссылка готова (success)',
      'Уже оплачено (paid)',
      'Ссылка не создана (error)',
    ]);
    expect(await page.$$eval('#pg-sb-body select option', (o) => o.map((x) => x.textContent))).to.deep.equal([
      'Бюджет сделки',
      'Фиксированная сумма',
    ]);
    expect(await page.inputValue('#pg-sb-body [data-field-name="amount_source"]')).to.equal('lead_price');
    expect(await page.textContent('#pg-sb-body .drl-sb-hint')).to.contain('{{json.payment_url}}');
    expectWords(await labelsIn(page, '#pg-sb-body'), 'ru', 'Salesbot designer step');
    await expectAccessible(page, '#pg-sb', 'the Salesbot designer step');

    // Saved with the lead's price and run for the lead without one: the bot leaves through error, saying why.
    await page.click('#pg-sb-save');
    type Steps = Array<{ question: Array<{ handler: string; params: { url?: string; data?: Record<string, string>; value?: string } }> }>;
    const saved = async () => JSON.parse((await page.textContent('#pg-sb-steps')) ?? '[]') as Steps;
    const steps = await saved();
    expect(steps[0].question.map((h) => h.handler)).to.deep.equal(['widget_request', 'goto']);
    expect(steps[0].question[0].params).to.deep.equal({
      url: `${base}/amocrm/salesbot`,
      data: {
        lead_id: '{{lead.id}}',
        dramlink_step: 'payment_link',
        amount_source: 'lead_price',
        fixed_amount: '',
        providers: '',
        lifetime_hours: '',
      },
    });
    expect(steps[1].question.at(-1)).to.deep.equal({ handler: 'exits', params: { value: 'error' } });
    await page.selectOption('#pg-sb-lead', String(LEADS.noPrice));
    await page.click('#pg-sb-run');
    await page.waitForSelector('#pg-sb-answer[data-state]', { timeout: 30_000 });
    expect(await page.getAttribute('#pg-sb-answer', 'data-exit')).to.equal('error');
    expect(await page.textContent('#pg-sb-answer [data-json="error"]')).to.equal('no_price');

    // A fixed amount: the bot leaves through success with the link, which the lead now carries.
    await page.selectOption('#pg-sb-body select', 'fixed');
    await page.fill('#pg-sb-body [data-field-name="fixed_amount"]', '7000');
    await page.click('#pg-sb-save');
    expect((await saved())[0].question[0].params.data).to.include({ amount_source: 'fixed', fixed_amount: '7000' });
    await page.click('#pg-sb-run');
    await page.waitForSelector('#pg-sb-answer[data-state]', { timeout: 30_000 });
    expect(await page.getAttribute('#pg-sb-answer', 'data-exit'), (await page.textContent('#pg-sb-answer')) ?? '').to.equal('success');
    const paymentUrl = await page.textContent('#pg-sb-answer [data-json="payment_url"]');
    expect(paymentUrl).to.match(new RegExp(`^${base}/pay/[^/]+$`));
    expect(await page.textContent('#pg-sb-answer [data-json="amount"]')).to.equal('7000');
    for (const deadline = Date.now() + 20_000; ; await sleep(250)) {
      if (field(await emulatedLead(LEADS.noPrice), 'DRAMLINK_LINK') === paymentUrl) break;
      if (Date.now() > deadline) throw new Error('the lead did not get the link its Salesbot step made');
    }
    await expectAccessible(page, '#pg-sb', 'the Salesbot designer step after a run');
    await page.close();
  });

  it('sends the link through the Salesbot from the card: the history says who, when and which bot, the lead gets the note; amoCRM answering 5xx is said and nothing is recorded', async () => {
    const page = await newPage();
    // An admin chooses the demo account's bot in the dramlink settings.
    await page.goto(`${base}/?lead=${LEADS.manager}&lang=ru&user=admin&tab=settings`);
    await page.waitForSelector('.drl-setup [data-name="salesbotId"]', { timeout: 30_000 });
    await page.fill('.drl-setup [data-name="salesbotId"]', String(DEMO_BOT));
    await page.click('.drl-setup [data-action="save"]');
    await page.waitForFunction(
      () => /Настройки платежей сохранены/.test(document.querySelector('.drl-setup')?.textContent ?? ''),
      undefined,
      {
        timeout: 15_000,
      },
    );

    // The manager, on a lead with a live link: Send or QR → Send through the Salesbot.
    await liveLinkOnCard(page, LEADS.manager);
    const sentLines = () =>
      page.$$eval('#drl-panel-root .drl-payment .drl-history li', (li) =>
        li.map((x) => (x as HTMLElement).innerText).filter((t) => /Отправлено Salesbot/.test(t)),
      );
    const salesbotNotes = async () => dramlinkNotes(await emulatedLead(LEADS.manager)).filter((t) => /через Salesbot №/.test(t));
    const before = (await salesbotNotes()).length;
    expect(await sentLines()).to.deep.equal([]);
    await page.click('#drl-panel-root [data-action="reach"]');
    await page.waitForSelector('#drl-reach-root [data-action="reach-bot"]', { timeout: 15_000 });
    await page.click('#drl-reach-root [data-action="reach-bot"]');
    await page.waitForFunction(
      () => /Отправлено Salesbot/.test(document.querySelector('#drl-panel-root .drl-history')?.textContent ?? ''),
      undefined,
      { timeout: 15_000 },
    );
    expect(await page.innerText('#drl-panel-root')).to.contain('amoCRM запустил Salesbot');
    const [line] = await sentLines();
    // When (a date and a time), what, who (the manager by name) and which bot.
    expect(line).to.match(/\d{1,2}:\d{2}/);
    expect(line).to.contain('Отправлено Salesbot').and.contain('Mher Manager').and.contain(`Salesbot #${DEMO_BOT}`);
    expectWords(await labelsIn(page, '#drl-panel-root'), 'ru', 'panel after a Salesbot send');
    for (const deadline = Date.now() + 20_000; (await salesbotNotes()).length === before; await sleep(250))
      if (Date.now() > deadline) throw new Error('no note on the lead for the Salesbot send');
    const notes = await salesbotNotes();
    expect(notes.at(-1)).to.match(new RegExp(`через Salesbot №${DEMO_BOT} \\(Mher Manager; amoCRM запустил бота\\)`));

    // amoCRM answers the next start with a 500: the manager is told to look at the chat; nothing is recorded.
    const fault = await fetch(`${base}/playground/emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/api/v2/salesbot/run', status: 500 }),
    });
    expect(fault.status).to.equal(200);
    await page.click('#drl-reach-root [data-action="reach-bot"]');
    await page.waitForFunction(
      () => /запустил ли он Salesbot/.test(document.querySelector('#drl-panel-root')?.textContent ?? ''),
      undefined,
      {
        timeout: 15_000,
      },
    );
    expect(await page.locator('#drl-panel-root [role="alert"]').count(), 'the error is announced').to.be.greaterThan(0);
    expect(await sentLines(), 'no second send in the history').to.have.length(1);
    await sleep(1_500);
    expect(await salesbotNotes(), 'no second note').to.have.length(notes.length);
    await expectAccessible(page, '#drl-panel-root', 'the panel saying amoCRM did not answer');
    await page.close();
  });

  it('measures script.js (minified and gzipped)', () => {
    const script = readFileSync(path.join(ROOT, 'dist/widget/script.js'));
    metrics['script.js minified'] = `${script.length} bytes (${(script.length / 1024).toFixed(1)} KB)`;
    metrics['script.js gzipped'] = `${gzipSync(script, { level: 9 }).length} bytes`;
    expect(script.subarray(0, 7).toString()).to.equal('define(');
    expect(script.length, 'script.js within its 30 KB budget').to.be.at.most(30_720);
  });
});
