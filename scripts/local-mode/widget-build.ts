import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { BuildError } from '../build-widget/build-error.ts';
import { newestFile } from '../build-server/newest-file.ts';
import { buildWidget } from '../build-widget/build.ts';
import { DIST_DIR, WIDGET_SRC_DIR } from './paths.ts';

export interface WidgetBuildOptions {
  /** Baked into script.js as its default server (the playground overrides it with server_url). */
  serverUrl: string;
  /** One line when a build runs. */
  log: (line: string) => void;
  widgetDir?: string;
  distDir?: string;
}

export type WidgetBuildState =
  { state: 'fresh' } | { state: 'built'; scriptBytes: number; ms: number } | { state: 'failed'; problems: string[] };

/** Why dist/widget/script.js must be rebuilt, or undefined when it is newer than every file in widget/. */
export async function staleReason(widgetDir = WIDGET_SRC_DIR, distDir = DIST_DIR): Promise<string | undefined> {
  const script = path.join(distDir, 'widget', 'script.js');
  const built = await stat(script).catch(() => undefined);
  if (!built) return `${shortPath(script)} is missing`;
  const newest = await newestFile(widgetDir);
  if (newest.mtimeMs > built.mtimeMs) return `${path.basename(newest.file)} changed after the last build`;
  return undefined;
}

/**
 * Builds dist/widget/ and dist/widget.zip when script.js is missing or older than any file in
 * widget/. The build goes to a private folder first and is then moved into place, so a second
 * server (or the browser test) never reads a half-written folder; if two build at once, the first
 * to finish wins and the other's identical output is dropped.
 */
export async function ensureWidgetBuilt(o: WidgetBuildOptions): Promise<WidgetBuildState> {
  const widgetDir = o.widgetDir ?? WIDGET_SRC_DIR;
  const distDir = o.distDir ?? DIST_DIR;
  const reason = await staleReason(widgetDir, distDir);
  if (!reason) return { state: 'fresh' };
  const started = Date.now();
  await removeAbandonedBuilds(distDir);
  const tmp = path.join(distDir, `.build-${process.pid}-${randomBytes(4).toString('hex')}`);
  // A server stopped mid-build (SIGTERM exits at once) leaves no half-built folder behind.
  const cleanUp = () => rmSync(tmp, { recursive: true, force: true });
  process.once('exit', cleanUp);
  try {
    await mkdir(tmp, { recursive: true });
    const result = await buildWidget({
      widgetDir,
      outDir: path.join(tmp, 'widget'),
      zipFile: path.join(tmp, 'widget.zip'),
      serverUrl: o.serverUrl,
    });
    const outDir = path.join(distDir, 'widget');
    const zip = path.join(distDir, 'widget.zip');
    if (await staleReason(widgetDir, distDir)) {
      await rm(outDir, { recursive: true, force: true });
      await rename(path.join(tmp, 'widget'), outDir).catch((e: NodeJS.ErrnoException) => {
        // Another process moved its build in between: it is as fresh as ours.
        if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
      });
      await rename(path.join(tmp, 'widget.zip'), zip);
    }
    const ms = Date.now() - started;
    o.log(
      `local mode: built the widget into ${shortPath(outDir)} in ${(ms / 1000).toFixed(1)} s (${reason}; script.js ${(result.scriptBytes / 1024).toFixed(1)} KB)`,
    );
    return { state: 'built', scriptBytes: result.scriptBytes, ms };
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    return { state: 'failed', problems: e.problems };
  } finally {
    process.off('exit', cleanUp);
    await rm(tmp, { recursive: true, force: true });
  }
}

/** `.build-<pid>-*` folders of processes that no longer run (killed with SIGKILL mid-build). */
async function removeAbandonedBuilds(distDir: string): Promise<void> {
  const names = await readdir(distDir).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(/^\.build-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid || isRunning(pid)) continue;
    await rm(path.join(distDir, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function shortPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
}
