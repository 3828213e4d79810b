import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { flattenKeys } from '../../scripts/build-widget/validate.ts';
import { createTranslator, translatorFor } from '../../widget/src/i18n.ts';
import { LOCALES, localeFile } from './fixtures.ts';

const SRC = fileURLToPath(new URL('../../widget/src/', import.meta.url));
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : [path.join(dir, e.name)]));

describe('widget i18n', () => {
  it('looks dotted keys up and fills {placeholders}', () => {
    const t = createTranslator((s) => ({ panel: { older: 'Earlier ({count})' } })[s]);
    expect(t('panel.older', { count: 2 })).to.equal('Earlier (2)');
  });

  it('shows a missing key as itself rather than a blank', () => {
    expect(createTranslator(() => undefined)('panel.nope')).to.equal('panel.nope');
  });

  it("falls back to amoCRM's self.i18n(section) when self.langs is absent", () => {
    const t = translatorFor({ i18n: (s: string) => (s === 'panel' ? { copy: 'Copy' } : undefined) });
    expect(t('panel.copy')).to.equal('Copy');
  });

  it('has every key the widget source uses in every locale', () => {
    const used = new Set<string>();
    for (const file of sources(SRC)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/['"`]((?:panel|create|errors|setup|exceptions)\.[a-z_.]+)['"`]/gi))
        used.add(m[1]);
    }
    expect(used.size).to.be.greaterThan(40);
    for (const code of LOCALES) {
      const keys = flattenKeys(localeFile(code));
      const missing = [...used].filter((k) => typeof keys.get(k) !== 'string');
      expect(missing, `i18n/${code}.json`).to.deep.equal([]);
    }
  });

  it('has a label for every status, provider, channel and settings field the widget can show', () => {
    for (const code of LOCALES) {
      const keys = flattenKeys(localeFile(code));
      for (const k of [
        'status.full_refund',
        'attempt_status.cancelled',
        'providers.telcell',
        'channels.other',
        'setup.field.webhookSecret',
        'setup.state_blocked',
      ]) {
        expect(keys.get(k), `${code}: ${k}`).to.be.a('string');
      }
    }
  });
});
