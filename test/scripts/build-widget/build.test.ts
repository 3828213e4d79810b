import { expect } from 'chai';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { buildWidget, type BuildResult } from '../../../scripts/build-widget/build.ts';
import { LOGO_SIZES } from '../../../scripts/build-widget/images.ts';
import { readPngSize } from '../../../scripts/build-widget/png.ts';
import { runBuild } from '../../../scripts/build-widget/run.ts';
import { zipEntries } from './zip-entries.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT_BUDGET = 30 * 1024;

describe('npm run build:widget', function () {
  this.timeout(60_000);
  let dir: string;
  let out: string;
  let zip: string;
  let result: BuildResult;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dramlink-widget-'));
    out = path.join(dir, 'widget');
    zip = path.join(dir, 'widget.zip');
    result = await buildWidget({
      widgetDir: path.join(ROOT, 'widget'),
      outDir: out,
      zipFile: zip,
      serverUrl: 'https://pay.example',
      support: { link: 'https://shop.am/help', email: 'help@shop.am' },
      production: true,
      widgetCode: 'dramlink_pay',
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('puts manifest.json, script.js, settings.js, reach.js, style.css, i18n/* and images/* at the zip root, not in a folder', () => {
    const files = zipEntries(zip).filter((n) => !n.endsWith('/'));
    expect(files, 'the pipeline tile and the Salesbot step tile').to.include.members(['images/logo_dp.png', 'images/logo_salesbot.png']);
    expect(files).to.include.members([
      'manifest.json',
      'script.js',
      'settings.js',
      'reach.js',
      'style.css',
      'i18n/ru.json',
      'i18n/en.json',
      'i18n/es.json',
      'i18n/pt.json',
    ]);
    expect(files).to.include.members(LOGO_SIZES.map((l) => `images/${l.file}`));
    expect(
      files.every((n) => /^(manifest\.json|script\.js|settings\.js|reach\.js|style\.css|i18n\/\w+\.json|images\/logo\w*\.png)$/.test(n)),
      files.join(', '),
    ).to.equal(true);
  });

  it("writes the build's support contacts into the manifest amoCRM shows admins", () => {
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.widget.support).to.deep.equal({ link: 'https://shop.am/help', email: 'help@shop.am' });
  });

  it('refuses an archive for real accounts that still names the placeholder support contacts', async () => {
    const lines: string[] = [];
    const log = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) };
    const code = await runBuild(
      {
        widgetDir: path.join(ROOT, 'widget'),
        outDir: path.join(dir, 'ph'),
        zipFile: path.join(dir, 'ph.zip'),
        serverUrl: 'https://pay.shop.am',
        production: true,
      },
      log,
    );
    expect(code).to.equal(1);
    expect(lines.join('\n')).to.contain('widget.support names a placeholder');
  });

  it('writes the logos at their exact sizes, as PNGs rendered from logo.svg (logo_dp.png 174×109 for the pipeline action)', () => {
    const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    for (const { file, width, height } of LOGO_SIZES) {
      const png = readFileSync(path.join(out, 'images', file));
      expect(png.subarray(0, 8).equals(signature), `${file} starts with the PNG signature`).to.equal(true);
      expect(readPngSize(png), file).to.deep.equal({ width, height });
    }
    expect(readPngSize(readFileSync(path.join(out, 'images', 'logo_dp.png')))).to.deep.equal({ width: 174, height: 109 });
    expect(readPngSize(readFileSync(path.join(out, 'images', 'logo_salesbot.png')))).to.deep.equal({ width: 108, height: 108 });
  });

  it("offers dramlink's Salesbot designer step in the manifest, its logo under amoCRM's path for the widget code", () => {
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.locations).to.include('salesbot_designer');
    expect(manifest.salesbot_designer.logo).to.equal('/widgets/dramlink_pay/images/logo_salesbot.png');
    expect(Object.keys(manifest.salesbot_designer.payment_link.settings)).to.deep.equal([
      'amount_source',
      'fixed_amount',
      'providers',
      'lifetime_hours',
    ]);
  });

  it(`keeps script.js under ${SCRIPT_BUDGET / 1024} KB minified`, () => {
    console.log(`      script.js: ${result.scriptBytes} bytes minified, ${result.scriptGzipBytes} gzipped`);
    expect(result.scriptBytes).to.be.below(SCRIPT_BUDGET);
  });

  it('bundles no zod (types only) and bakes in the server URL', () => {
    const script = readFileSync(path.join(out, 'script.js'), 'utf8');
    expect(script).to.not.match(/ZodError|\$ZodType/);
    expect(script).to.include('https://pay.example');
  });

  it('is one AMD module returning the widget constructor amoCRM instantiates', () => {
    const script = readFileSync(path.join(out, 'script.js'), 'utf8');
    let deps: unknown;
    let factory: ((...a: unknown[]) => unknown) | undefined;
    const define = (a: unknown, b?: unknown) => {
      [deps, factory] = typeof a === 'function' ? [[], a as typeof factory] : [a, b as typeof factory];
    };
    (define as unknown as { amd: object }).amd = {};
    const sandbox: Record<string, unknown> = { define, APP: { data: { current_card: { id: 0 } } } };
    vm.runInNewContext(script, sandbox);
    expect(deps).to.satisfy(
      (d: unknown) =>
        d === undefined ||
        (Array.isArray(d) && d.every((x) => ['jquery', 'underscore', 'twigjs', 'lib/components/base/modal'].includes(x))),
    );
    const Widget = factory!() as new () => { callbacks: Record<string, () => unknown> };
    const requests: unknown[] = [];
    const w = new Widget();
    Object.assign(w, { $authorizedAjax: (o: unknown) => requests.push(o) });
    expect(w.callbacks.render()).to.equal(true);
    expect(w.callbacks.init()).to.equal(true);
    expect(w.callbacks.bind_actions()).to.equal(true);
    expect(requests, 'a new card (id 0) makes no request').to.deep.equal([]);
  });

  it('stops with a message naming the problem and exit code 1, no stack trace, when the widget is invalid', async () => {
    const bad = path.join(dir, 'bad');
    cpSync(path.join(ROOT, 'widget'), bad, { recursive: true });
    const en = JSON.parse(readFileSync(path.join(bad, 'i18n/en.json'), 'utf8'));
    delete en.panel.copy;
    writeFileSync(path.join(bad, 'i18n/en.json'), JSON.stringify(en));
    const lines: string[] = [];
    const log = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) };
    const code = await runBuild(
      { widgetDir: bad, outDir: path.join(dir, 'bad-out'), zipFile: path.join(dir, 'bad.zip'), serverUrl: 'http://x' },
      log,
    );
    expect(code).to.equal(1);
    expect(lines).to.deep.equal(['build:widget failed:', '  - i18n/en.json is missing key "panel.copy"']);
    expect(existsSync(path.join(dir, 'bad.zip')), 'no archive from an invalid widget').to.equal(false);
  });
});
