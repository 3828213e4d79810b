import { build, type Metafile } from 'esbuild';
import { cp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { ServerBuildError } from './build-error.ts';
import { REPO_ROOT, SERVER_DIST } from './paths.ts';

/** The production entries: the server and the operator's tools (export, key rotation, doctor), one bundle each in dist/server/. */
export const SERVER_ENTRIES = [
  { in: 'server/main.ts', out: 'main' },
  { in: 'server/cli/export-payments.ts', out: 'export-payments' },
  { in: 'server/cli/rotate-secrets.ts', out: 'rotate-secrets' },
  { in: 'server/cli/doctor.ts', out: 'doctor' },
  { in: 'server/cli/copy-database.ts', out: 'copy-database' },
] as const;

/**
 * Read from disk at run time, relative to the module that reads them; a bundle's modules all share
 * the bundle's location (dist/server/), so each folder is copied there. server/db/database.ts reads
 * `./migrations` beside itself: server/db/migrations from source, dist/server/migrations built;
 * server/db/postgres-store.ts reads `./migrations-pg` the same way.
 */
const RUNTIME_FOLDERS = [
  { from: 'server/db/migrations', to: 'migrations' },
  { from: 'server/db/migrations-pg', to: 'migrations-pg' },
] as const;

export interface ServerBuildResult {
  outDir: string;
  files: string[];
  /** Packages the bundles import at run time (left external): all must be in `dependencies`. */
  packages: string[];
  ms: number;
}

/**
 * `npm run build`: server + shared compiled to ESM JavaScript for Node 20 with esbuild, one bundle
 * per entry with source maps, packages left to node_modules. Refuses a bundle that would load a
 * package listed only in devDependencies (the dev wing, test tools) or any file of scripts/ or test/.
 */
export async function buildServer(o: { root?: string; outDir?: string } = {}): Promise<ServerBuildResult> {
  const root = o.root ?? REPO_ROOT;
  const outDir = o.outDir ?? SERVER_DIST;
  const started = Date.now();
  await rm(outDir, { recursive: true, force: true });
  const result = await bundleForNode({ root, entries: SERVER_ENTRIES, outDir });
  const packages = externalPackages(result.metafile);
  const problems = [...(await devOnlyImports(root, packages)), ...devWingInputs(result.metafile)];
  if (problems.length) {
    await rm(outDir, { recursive: true, force: true });
    throw new ServerBuildError(problems);
  }
  const files = Object.keys(result.metafile.outputs).map((f) => path.relative(root, path.resolve(root, f)));
  return { outDir, files, packages, ms: Date.now() - started };
}

/**
 * ESM JavaScript for Node 20, one bundle per entry with a source map, packages left to
 * node_modules (so an output must sit inside the repository to find them), and the folders read at
 * run time beside them. Also how the ingest bench builds its server, so it measures the code
 * production runs.
 */
export async function bundleForNode(o: {
  root?: string;
  entries: ReadonlyArray<{ in: string; out: string }>;
  outDir: string;
}): Promise<{ metafile: Metafile }> {
  const result = await build({
    absWorkingDir: o.root ?? REPO_ROOT,
    entryPoints: o.entries.map((e) => ({ in: e.in, out: e.out })),
    outdir: o.outDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    // Stack traces need only the mappings; the sources are in the repository (and would be 2/3 of the map in memory).
    sourcesContent: false,
    metafile: true,
    logLevel: 'silent',
  }).catch((err: { errors?: { text: string; location?: { file: string; line: number } | null }[] }) => {
    throw new ServerBuildError((err.errors ?? []).map((e) => (e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text)));
  });
  for (const f of RUNTIME_FOLDERS) await cp(path.join(o.root ?? REPO_ROOT, f.from), path.join(o.outDir, f.to), { recursive: true });
  return { metafile: result.metafile };
}

/** `express`, `drizzle-orm/better-sqlite3` → `drizzle-orm`, `@scope/pkg/sub` → `@scope/pkg`; node: built-ins left out. */
export function externalPackages(metafile: Metafile): string[] {
  const names = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const imp of output.imports) {
      if (!imp.external || imp.path.startsWith('node:') || imp.path.startsWith('.') || path.isAbsolute(imp.path)) continue;
      const parts = imp.path.split('/');
      names.add(imp.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
    }
  }
  return [...names].sort();
}

async function devOnlyImports(root: string, packages: string[]): Promise<string[]> {
  const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const runtime = new Set(Object.keys(pkg.dependencies ?? {}));
  return packages
    .filter((name) => !runtime.has(name))
    .map((name) => `the server imports "${name}", which is not in package.json "dependencies": move it there, or stop importing it`);
}

function devWingInputs(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs)
    .filter((file) => /^(scripts|test)\//.test(file))
    .map((file) => `${file} is bundled into the production server: server/ must never import the dev wing or tests`);
}
