import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { LOGO_SIZES, MAX_IMAGE_BYTES } from './images.ts';
import { readPngSize } from './png.ts';

/**
 * What amoCRM checks on upload (https://www.amocrm.ru/developers/content/integrations/structure,
 * https://developers.kommo.com/docs/manifest-json), checked here first, because
 * amoMarket's rejection names the problem less precisely and only after a manual upload.
 * Each validator returns one message per problem; an empty list means valid.
 */

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isStr = (x: unknown): x is string => typeof x === 'string' && x.trim() !== '';
const isStrArray = (x: unknown): x is string[] => Array.isArray(x) && x.length > 0 && x.every(isStr);

const SETTING_TYPES = ['text', 'pass', 'users', 'users_lp', 'custom'];

/** The manifest's placeholder support contacts: fine for local builds, refused in an archive for real accounts. */
const PLACEHOLDER_SUPPORT = /(^|[@./])example\.(com|org|net)\b|localhost/i;

export function validateManifest(m: unknown, opts: { production?: boolean } = {}): string[] {
  if (!isObj(m)) return ['manifest.json: must be a JSON object'];
  const p: string[] = [];
  const need = (ok: boolean, key: string, what: string) => {
    if (!ok) p.push(`manifest.json: ${key} ${what}`);
  };
  const w = m.widget;
  if (!isObj(w)) {
    p.push('manifest.json: widget is missing (an object with name, description, short_description, version, …)');
  } else {
    for (const key of ['name', 'description', 'short_description'] as const) {
      need(isStr(w[key]), `widget.${key}`, 'is missing (an i18n key such as "widget.name")');
    }
    need(isStr(w.version), 'widget.version', 'is missing (a version string such as "1.0.0")');
    need(w.interface_version === 2, 'widget.interface_version', 'must be 2');
    need(isStrArray(w.locale), 'widget.locale', 'is missing (a non-empty array such as ["ru","en"])');
    need(typeof w.installation === 'boolean', 'widget.installation', 'is missing (true or false)');
    if (w.init_once !== undefined) need(typeof w.init_once === 'boolean', 'widget.init_once', 'must be true or false');
    need(isObj(w.support) && isStr(w.support.link) && isStr(w.support.email), 'widget.support', 'is missing ({"link", "email"})');
    if (opts.production && isObj(w.support) && [w.support.link, w.support.email].some((v) => PLACEHOLDER_SUPPORT.test(String(v)))) {
      p.push('manifest.json: widget.support names a placeholder; set WIDGET_SUPPORT_URL and WIDGET_SUPPORT_EMAIL for the build');
    }
  }
  need(isStrArray(m.locations), 'locations', 'is missing (a non-empty array of areas such as ["lcard-1","settings"])');
  if (!isObj(m.tour)) p.push('manifest.json: tour is missing (amoCRM requires it since 2019; {"is_tour": false} is enough)');
  else need(typeof m.tour.is_tour === 'boolean', 'tour.is_tour', 'is missing (true or false)');
  if (!isObj(m.settings)) {
    p.push('manifest.json: settings is missing (an object; {} when the widget has no fields)');
  } else {
    let custom = 0;
    for (const [key, field] of Object.entries(m.settings)) {
      if (!isObj(field) || !isStr(field.name) || !SETTING_TYPES.includes(String(field.type))) {
        p.push(`manifest.json: settings.${key} needs a name (an i18n key) and a type (${SETTING_TYPES.join(', ')})`);
      } else if (field.type === 'custom') custom++;
    }
    if (custom > 1) p.push(`manifest.json: settings has ${custom} "custom" fields; amoCRM allows at most one`);
  }
  if (isStrArray(m.locations) && m.locations.includes('salesbot_designer')) p.push(...validateSalesbotDesigner(m.salesbot_designer));
  if (isStrArray(m.locations) && m.locations.includes('advanced_settings')) {
    need(
      isObj(m.advanced) && isStr(m.advanced.title),
      'advanced.title',
      'is missing (an i18n key; required by the advanced_settings location)',
    );
  }
  return p;
}

const SALESBOT_SETTING_TYPES = ['text', 'numeric', 'url'];

/**
 * The Salesbot designer's handlers (https://www.amocrm.ru/developers/content/integrations/salesbot_widget):
 * `{logo?, <handler_code>: {name, settings: {<key>: {name, type: text|numeric|url, default_value?, manual?}}}}`.
 */
export function validateSalesbotDesigner(sb: unknown): string[] {
  if (!isObj(sb))
    return ['manifest.json: salesbot_designer is missing (an object of handlers; required by the salesbot_designer location)'];
  const p: string[] = [];
  const handlers = Object.entries(sb).filter(([code]) => code !== 'logo');
  if (sb.logo !== undefined && !(isStr(sb.logo) && sb.logo.startsWith('/')))
    p.push('manifest.json: salesbot_designer.logo must be a path on amoCRM (starting with /)');
  if (handlers.length === 0) p.push('manifest.json: salesbot_designer has no handler (an object {name, settings})');
  for (const [code, handler] of handlers) {
    if (!isObj(handler) || !isStr(handler.name) || !isObj(handler.settings)) {
      p.push(`manifest.json: salesbot_designer.${code} needs a name (an i18n key) and settings (an object)`);
      continue;
    }
    for (const [key, field] of Object.entries(handler.settings)) {
      if (!isObj(field) || !isStr(field.name) || !SALESBOT_SETTING_TYPES.includes(String(field.type)))
        p.push(
          `manifest.json: salesbot_designer.${code}.settings.${key} needs a name (an i18n key) and a type (${SALESBOT_SETTING_TYPES.join(', ')})`,
        );
      else if (field.manual !== undefined && typeof field.manual !== 'boolean')
        p.push(`manifest.json: salesbot_designer.${code}.settings.${key}.manual must be true or false`);
    }
  }
  return p;
}

/** Every i18n key the manifest refers to: amoCRM resolves them in each locale file. */
export function manifestI18nKeys(m: unknown): string[] {
  if (!isObj(m)) return [];
  const keys: unknown[] = [];
  if (isObj(m.widget)) keys.push(m.widget.name, m.widget.description, m.widget.short_description);
  if (isObj(m.settings)) for (const f of Object.values(m.settings)) if (isObj(f)) keys.push(f.name);
  if (isObj(m.advanced)) keys.push(m.advanced.title);
  if (isObj(m.dp)) {
    keys.push(m.dp.title);
    if (isObj(m.dp.settings)) for (const f of Object.values(m.dp.settings)) if (isObj(f)) keys.push(f.name);
  }
  if (isObj(m.salesbot_designer)) {
    for (const [code, h] of Object.entries(m.salesbot_designer)) {
      if (code === 'logo' || !isObj(h)) continue;
      keys.push(h.name);
      if (isObj(h.settings)) for (const f of Object.values(h.settings)) if (isObj(f)) keys.push(f.name);
    }
  }
  return keys.filter(isStr);
}

/** Dotted paths of every leaf; a non-string leaf is reported by validateLocales. */
export function flattenKeys(node: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!isObj(node)) return out;
  for (const [k, v] of Object.entries(node)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isObj(v)) for (const [kk, vv] of flattenKeys(v, key)) out.set(kk, vv);
    else out.set(key, v);
  }
  return out;
}

/**
 * `locales` maps a locale code to its parsed i18n/<code>.json. amoCRM requires the same structure
 * in every file; a key missing in one language shows the raw key to those users.
 */
export function validateLocales(manifest: unknown, locales: Record<string, unknown>): string[] {
  const p: string[] = [];
  const declared = isObj(manifest) && isObj(manifest.widget) && isStrArray(manifest.widget.locale) ? manifest.widget.locale : [];
  for (const code of declared) if (!(code in locales)) p.push(`i18n/${code}.json is missing (manifest widget.locale lists "${code}")`);
  for (const code of Object.keys(locales)) {
    if (!declared.includes(code)) p.push(`i18n/${code}.json is not listed in manifest widget.locale`);
  }
  const flat = Object.entries(locales).map(([code, json]) => [code, flattenKeys(json)] as const);
  const all = new Set(flat.flatMap(([, keys]) => [...keys.keys()]));
  for (const [code, keys] of flat) {
    if (!isObj(locales[code])) {
      p.push(`i18n/${code}.json: must be a JSON object`);
      continue;
    }
    for (const key of [...all].sort()) {
      if (!keys.has(key)) p.push(`i18n/${code}.json is missing key "${key}"`);
      else if (typeof keys.get(key) !== 'string') p.push(`i18n/${code}.json: "${key}" must be a string`);
    }
    for (const key of manifestI18nKeys(manifest)) {
      if (typeof keys.get(key) !== 'string') p.push(`i18n/${code}.json is missing key "${key}" (used in manifest.json)`);
    }
  }
  return [...new Set(p)];
}

/** `images` maps file names (logo_main.png …) to their bytes; an absent file is undefined. */
export function validateImages(images: Record<string, Buffer | undefined>): string[] {
  const p: string[] = [];
  for (const { file, width, height } of LOGO_SIZES) {
    const png = images[file];
    if (!png) {
      p.push(`images/${file} is missing (${width}×${height} PNG)`);
      continue;
    }
    const size = readPngSize(png);
    if (!size) p.push(`images/${file} is not a PNG`);
    else if (size.width !== width || size.height !== height) {
      p.push(`images/${file} is ${size.width}×${size.height}; amoCRM needs exactly ${width}×${height}`);
    }
    if (png.length >= MAX_IMAGE_BYTES) {
      p.push(`images/${file} is ${(png.length / 1024).toFixed(1)} KB; amoCRM accepts images under 300 KB`);
    }
  }
  return p;
}

export function validateScript(script: string | undefined): string[] {
  if (script === undefined) return ['script.js is missing'];
  const body = script.replace(/^(?:\s|\/\*[\s\S]*?\*\/|\/\/[^\n]*\n)*/, '');
  return body.startsWith('define(') ? [] : ['script.js is not an AMD module (it must start with define( so amoCRM can load it)'];
}

const readJson = async (file: string, problems: string[], label: string): Promise<unknown> => {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    problems.push(
      `${label}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : `is not valid JSON (${(e as Error).message})`}`,
    );
    return undefined;
  }
};
const readOptional = (file: string) => readFile(file).catch(() => undefined);

/** manifest.json and i18n/*.json of a widget folder: cheap, so the build checks them before bundling. */
export async function validateTexts(dir: string, opts: { production?: boolean } = {}): Promise<string[]> {
  const p: string[] = [];
  const manifest = await readJson(path.join(dir, 'manifest.json'), p, 'manifest.json');
  if (manifest !== undefined) p.push(...validateManifest(manifest, opts));
  const locales: Record<string, unknown> = {};
  const i18nFiles = (await readdir(path.join(dir, 'i18n')).catch(() => [] as string[])).filter((f) => f.endsWith('.json'));
  for (const f of i18nFiles) locales[f.slice(0, -5)] = await readJson(path.join(dir, 'i18n', f), p, `i18n/${f}`);
  p.push(...validateLocales(manifest, locales));
  return p;
}

/** Everything above, on an unpacked widget folder (dist/widget): exactly what goes into the zip. */
export async function validateWidgetDir(dir: string): Promise<string[]> {
  const p = await validateTexts(dir);
  const images: Record<string, Buffer | undefined> = {};
  for (const { file } of LOGO_SIZES) images[file] = await readOptional(path.join(dir, 'images', file));
  p.push(...validateImages(images));
  p.push(...validateScript((await readOptional(path.join(dir, 'script.js')))?.toString('utf8')));
  // script.js loads them from the widget folder when first asked for (the settings; send, QR, bulk, pipeline).
  for (const [file, what] of [
    ['settings.js', 'the settings view'],
    ['reach.js', 'sending, the QR code, bulk links and the pipeline action'],
  ]) {
    const text = (await readOptional(path.join(dir, file)))?.toString('utf8');
    if (text === undefined) p.push(`${file} is missing (script.js loads it for ${what})`);
    else if (validateScript(text).length) p.push(`${file} is not an AMD module (it must start with define( so RequireJS can load it)`);
  }
  // script.js loads it from the widget folder; without it the panel renders unstyled.
  if (!(await readOptional(path.join(dir, 'style.css')))?.length) p.push('style.css is missing (script.js loads it)');
  return p;
}
