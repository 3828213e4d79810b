import { cp, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { BuildError } from './build-error.ts';
import { bundleScript } from './bundle.ts';
import { renderLogos } from './images.ts';
import { validateTexts, validateWidgetDir } from './validate.ts';
import { writeZip } from './zip.ts';

export interface BuildOptions {
  /** The widget sources: manifest.json, style.css, i18n/, images/logo.svg, src/. */
  widgetDir: string;
  /** The unpacked widget folder (dist/widget), emptied first. */
  outDir: string;
  /** The archive an account admin uploads (dist/widget.zip). */
  zipFile: string;
  serverUrl: string;
  /** Written into manifest.json (widget.support); without it the manifest's own stay. */
  support?: { link: string; email: string };
  /** An archive for real accounts: the manifest must name real support contacts, not placeholders. */
  production?: boolean;
  /** The widget code amoCRM shows for the integration (WIDGET_CODE): the Salesbot step's logo path needs it. */
  widgetCode?: string;
}

export interface BuildResult {
  files: string[];
  scriptBytes: number;
  scriptGzipBytes: number;
  zipBytes: number;
}

/** Sources → dist/widget/ (also what the playground serves) → validated → dist/widget.zip. */
export async function buildWidget(o: BuildOptions): Promise<BuildResult> {
  await rm(o.outDir, { recursive: true, force: true });
  await rm(o.zipFile, { force: true });
  await mkdir(path.join(o.outDir, 'images'), { recursive: true });

  for (const file of ['manifest.json', 'style.css']) await copyFrom(o.widgetDir, o.outDir, file);
  await copyFrom(o.widgetDir, o.outDir, 'i18n');
  if (o.support) await writeSupport(path.join(o.outDir, 'manifest.json'), o.support);
  await writePipelineHook(path.join(o.outDir, 'manifest.json'), o.serverUrl);
  if (o.widgetCode) await writeSalesbotLogo(path.join(o.outDir, 'manifest.json'), o.widgetCode);
  // A manifest or translation mistake is found in a moment, before the slower bundling.
  const textProblems = await validateTexts(o.outDir, { production: o.production });
  if (textProblems.length > 0) throw new BuildError(textProblems);
  const svg = await readFile(path.join(o.widgetDir, 'images', 'logo.svg'), 'utf8').catch(() => {
    throw new BuildError([`${path.join(o.widgetDir, 'images', 'logo.svg')} is missing: the logos are rendered from it`]);
  });
  for (const { file, png } of renderLogos(svg)) await writeFile(path.join(o.outDir, 'images', file), png);
  await bundleScript({ outDir: o.outDir, serverUrl: o.serverUrl });

  const problems = await validateWidgetDir(o.outDir);
  if (problems.length > 0) throw new BuildError(problems);

  const files = await listFiles(o.outDir);
  const contents = new Map<string, Buffer>();
  for (const f of files) contents.set(f, await readFile(path.join(o.outDir, f)));
  await mkdir(path.dirname(o.zipFile), { recursive: true });
  await writeZip(contents, o.zipFile);

  const script = contents.get('script.js')!;
  return {
    files,
    scriptBytes: script.length,
    scriptGzipBytes: gzipSync(script, { level: 9 }).length,
    zipBytes: (await stat(o.zipFile)).size,
  };
}

/**
 * The Digital Pipeline action's hook: amoCRM posts each trigger straight to `dp.webhook_url`, this
 * build's server (`/amocrm/pipeline`); amoCRM wants https there, which a production build has.
 */
async function writePipelineHook(file: string, serverUrl: string): Promise<void> {
  const manifest = JSON.parse(await readFile(file, 'utf8')) as { dp?: Record<string, unknown> };
  if (!manifest.dp) return;
  manifest.dp.webhook_url = `${serverUrl.replace(/\/+$/, '')}/amocrm/pipeline`;
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * The Salesbot designer step's tile: amoCRM's manifest example gives `salesbot_designer.logo` as a
 * path under `/widgets/<widget code>/images/` (https://www.amocrm.ru/developers/content/integrations/salesbot_widget).
 * The code is amoCRM's, known once the integration exists, so the path is written only when the
 * build is told it; without it the manifest names no logo and amoCRM draws its own.
 */
async function writeSalesbotLogo(file: string, widgetCode: string): Promise<void> {
  const manifest = JSON.parse(await readFile(file, 'utf8')) as { salesbot_designer?: Record<string, unknown> };
  if (!manifest.salesbot_designer) return;
  manifest.salesbot_designer = { logo: `/widgets/${widgetCode}/images/logo_salesbot.png`, ...manifest.salesbot_designer };
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** The support contacts amoCRM shows admins, from the build's environment (WIDGET_SUPPORT_URL, WIDGET_SUPPORT_EMAIL). */
async function writeSupport(file: string, support: { link: string; email: string }): Promise<void> {
  const manifest = JSON.parse(await readFile(file, 'utf8')) as { widget?: Record<string, unknown> };
  if (manifest.widget) manifest.widget.support = { link: support.link, email: support.email };
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

async function copyFrom(from: string, to: string, name: string): Promise<void> {
  await cp(path.join(from, name), path.join(to, name), { recursive: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw new BuildError([`${path.join(from, name)} is missing`]);
    throw e;
  });
}

/** Relative paths with forward slashes, as they go into the zip. */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else out.push(rel);
  }
  return out.sort();
}
