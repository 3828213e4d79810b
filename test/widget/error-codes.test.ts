import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NON_WIDGET_ERROR_CODES, WIDGET_ERROR_CODES } from '../../shared/api.ts';
import { describeError } from '../../widget/src/error-text.ts';
import { LOCALES, localeFile, translator } from './fixtures.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PROVIDER_CODE = /^(ameriabank|arca|idram|telcell|sandbox)(_|$)/;

function serverFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? serverFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** Every literal code the server throws an error with (`new XError('code', …)`). */
function thrownCodes(): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of serverFiles(path.join(ROOT, 'server'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/new (\w*Error)\(\s*'([a-z0-9_]+)'/g)) out.set(m[2], path.relative(ROOT, file));
  }
  return out;
}

describe('widget error codes: every server error a widget call can get has words in every language', () => {
  it('has a line for every listed code in every locale', () => {
    for (const lang of LOCALES) {
      const lines = (localeFile(lang).errors as { code: Record<string, string> }).code;
      for (const code of WIDGET_ERROR_CODES) expect(lines[code], `${lang}: errors.code.${code}`).to.be.a('string').and.not.empty;
    }
  });

  it('knows every code the server throws: a new one must be listed (and translated) or marked as not for the widget', () => {
    const known = new Set<string>([...WIDGET_ERROR_CODES, ...NON_WIDGET_ERROR_CODES]);
    const unknown = [...thrownCodes()].filter(([code]) => !known.has(code) && !PROVIDER_CODE.test(code)).map(([c, f]) => `${c} (${f})`);
    expect(unknown, 'add to WIDGET_ERROR_CODES in shared/api.ts and widget/i18n/*.json').to.deep.equal([]);
  });

  it("shows no server English in a Russian panel, whatever the code (the issue's Telcell/USD message included)", () => {
    const t = translator('ru');
    const english = 'telcell cannot take payments in USD.';
    for (const code of [
      ...WIDGET_ERROR_CODES,
      'telcell_unreachable',
      'arca_timeout',
      'idram_not_supported',
      'ameriabank_bad_response',
      'brand_new_code',
    ]) {
      for (const status of [400, 404, 409, 502]) {
        const { text, hint } = describeError({ status, code, message: english }, t, 'https://pay.example');
        expect(text, code)
          .to.not.include('cannot take')
          .and.not.match(/errors\./);
        expect(`${text} ${hint ?? ''}`, code).to.match(/[а-яё]{3,}/i);
      }
    }
  });

  it('names the provider in a provider error', () => {
    expect(describeError({ status: 502, code: 'telcell_timeout', message: '' }, translator('en'), '').text).to.match(
      /^Telcell did not answer in time/,
    );
  });
});
