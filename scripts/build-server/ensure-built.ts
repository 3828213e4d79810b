import { stat } from 'node:fs/promises';
import path from 'node:path';
import { newestFile } from './newest-file.ts';
import { REPO_ROOT, SERVER_MAIN_JS } from './paths.ts';

/** What the production bundle is built from: a change to any of these makes dist/server stale. */
const BUILD_INPUTS = ['server', 'shared', 'scripts/build-server', 'package.json'];

/** Why dist/server must be rebuilt, or undefined when main.js is newer than every input. */
export async function serverStaleReason(root = REPO_ROOT, mainJs = SERVER_MAIN_JS): Promise<string | undefined> {
  const built = await stat(mainJs).catch(() => undefined);
  if (!built) return `${path.relative(root, mainJs)} is missing`;
  for (const input of BUILD_INPUTS) {
    const full = path.join(root, input);
    const info = await stat(full).catch(() => undefined);
    const newest = info?.isDirectory() ? await newestFile(full) : { file: full, mtimeMs: info?.mtimeMs ?? 0 };
    if (newest.mtimeMs > built.mtimeMs) return `${path.relative(root, newest.file)} changed after the last build`;
  }
  return undefined;
}

/** Builds dist/server when stale (esbuild is loaded only then), printing one line when it does. */
export async function ensureServerBuilt(log: (line: string) => void): Promise<void> {
  const reason = await serverStaleReason();
  if (!reason) return;
  const { buildServer } = await import('./build.ts');
  const result = await buildServer();
  log(`built the production server into ${path.relative(REPO_ROOT, result.outDir)} in ${result.ms} ms (${reason})`);
}
