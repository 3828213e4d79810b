import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { LOGO_SIZES, renderLogos } from '../../../scripts/build-widget/images.ts';
import { readPngSize } from '../../../scripts/build-widget/png.ts';
import { validateImages, validateLocales, validateManifest, validateScript } from '../../../scripts/build-widget/validate.ts';

const read = (p: string) => JSON.parse(readFileSync(new URL(`../../../widget/${p}`, import.meta.url), 'utf8'));
const manifest = () => read('manifest.json');
const locales = () => Object.fromEntries(['ru', 'en', 'es', 'pt'].map((c) => [c, read(`i18n/${c}.json`)]));
const logos = () =>
  Object.fromEntries(
    renderLogos(readFileSync(new URL('../../../widget/images/logo.svg', import.meta.url), 'utf8')).map((l) => [l.file, l.png]),
  );

/** A PNG header claiming width×height, padded to `bytes`: all the validator reads. */
function fakePng(width: number, height: number, bytes = 64): Buffer {
  const b = Buffer.alloc(bytes);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  return b;
}

describe('widget archive validation', () => {
  it('accepts the widget as committed', () => {
    expect(validateManifest(manifest())).to.deep.equal([]);
    expect(validateLocales(manifest(), locales())).to.deep.equal([]);
    expect(validateImages(logos())).to.deep.equal([]);
  });

  it('catches a manifest without locations', () => {
    const m = manifest();
    delete m.locations;
    expect(validateManifest(m)).to.deep.equal([
      'manifest.json: locations is missing (a non-empty array of areas such as ["lcard-1","settings"])',
    ]);
  });

  for (const key of ['name', 'description', 'short_description', 'version', 'locale', 'installation', 'support']) {
    it(`catches a manifest without widget.${key}`, () => {
      const m = manifest();
      delete m.widget[key];
      expect(validateManifest(m).join('\n')).to.include(`widget.${key}`);
    });
  }

  for (const key of ['settings', 'tour']) {
    it(`catches a manifest without ${key}`, () => {
      const m = manifest();
      delete m[key];
      expect(validateManifest(m).join('\n')).to.include(`manifest.json: ${key} is missing`);
    });
  }

  it('catches a second custom settings field, which amoCRM does not save', () => {
    const m = manifest();
    m.settings.a = { name: 'settings.server_url', type: 'custom', required: false };
    m.settings.b = { name: 'settings.server_url', type: 'custom', required: false };
    expect(validateManifest(m).join('\n')).to.include('at most one');
  });

  it('catches advanced_settings without advanced.title', () => {
    const m = manifest();
    delete m.advanced;
    expect(validateManifest(m).join('\n')).to.include('advanced.title');
  });

  it('catches the salesbot_designer location without its handlers, and a handler setting of a type the designer has not', () => {
    const gone = manifest();
    delete gone.salesbot_designer;
    expect(validateManifest(gone).join('\n')).to.include('salesbot_designer is missing');
    const bad = manifest();
    bad.salesbot_designer.payment_link.settings.providers.type = 'select';
    bad.salesbot_designer.logo = 'images/x.png';
    expect(validateManifest(bad)).to.deep.equal([
      'manifest.json: salesbot_designer.logo must be a path on amoCRM (starting with /)',
      'manifest.json: salesbot_designer.payment_link.settings.providers needs a name (an i18n key) and a type (text, numeric, url)',
    ]);
  });

  it("catches a Salesbot step's name no locale defines", () => {
    const m = manifest();
    m.salesbot_designer.payment_link.name = 'sb.title';
    expect(validateLocales(m, locales())).to.include('i18n/en.json is missing key "sb.title" (used in manifest.json)');
  });

  it('names the missing i18n key and the file it is missing from', () => {
    const l = locales();
    delete (l.es.panel as Record<string, unknown>).copy;
    expect(validateLocales(manifest(), l)).to.deep.equal(['i18n/es.json is missing key "panel.copy"']);
  });

  it('catches a manifest i18n key that no locale defines', () => {
    const m = manifest();
    m.widget.name = 'widget.title';
    expect(validateLocales(m, locales())).to.include('i18n/ru.json is missing key "widget.title" (used in manifest.json)');
  });

  it('catches a locale listed in the manifest without its file', () => {
    const l = locales();
    delete l.pt;
    expect(validateLocales(manifest(), l)).to.deep.equal(['i18n/pt.json is missing (manifest widget.locale lists "pt")']);
  });

  it('catches a wrong image size', () => {
    const images = { ...logos(), 'logo_main.png': fakePng(400, 270) };
    expect(validateImages(images)).to.deep.equal(['images/logo_main.png is 400×270; amoCRM needs exactly 400×272']);
  });

  it('catches an image of 300 KB or more', () => {
    const images = { ...logos(), 'logo_small.png': fakePng(108, 108, 300 * 1024) };
    expect(validateImages(images)).to.deep.equal(['images/logo_small.png is 300.0 KB; amoCRM accepts images under 300 KB']);
  });

  it('catches a missing image and a file that is not a PNG', () => {
    const images: Record<string, Buffer | undefined> = { ...logos(), 'logo_dp.png': undefined, 'logo.png': Buffer.from('GIF89a') };
    expect(validateImages(images)).to.deep.equal(['images/logo.png is not a PNG', 'images/logo_dp.png is missing (174×109 PNG)']);
  });

  it('renders every logo from the one SVG at its exact size', () => {
    for (const { file, png } of renderLogos(readFileSync(new URL('../../../widget/images/logo.svg', import.meta.url), 'utf8'))) {
      const want = LOGO_SIZES.find((s) => s.file === file)!;
      expect(readPngSize(png), file).to.deep.equal({ width: want.width, height: want.height });
    }
  });

  it('catches a script.js that is not an AMD define(', () => {
    expect(validateScript(undefined)).to.deep.equal(['script.js is missing']);
    expect(validateScript('(()=>{define(()=>1)})()')).to.have.length(1);
    expect(validateScript('/* x */\ndefine(["jquery"],function(){})')).to.deep.equal([]);
  });
});
