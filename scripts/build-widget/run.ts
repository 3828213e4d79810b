import { BuildError } from './build-error.ts';
import { buildWidget, type BuildOptions } from './build.ts';

export interface Log {
  log(line: string): void;
  error(line: string): void;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** Builds and reports; returns the exit code. A BuildError is printed as its problems, never as a stack trace. */
export async function runBuild(o: BuildOptions, out: Log = console): Promise<number> {
  try {
    const r = await buildWidget(o);
    out.log(`build:widget: ${o.outDir} (${r.files.length} files) and ${o.zipFile} (${kb(r.zipBytes)}), server ${o.serverUrl}`);
    out.log(`script.js: ${kb(r.scriptBytes)} minified (${r.scriptBytes} bytes), ${kb(r.scriptGzipBytes)} gzipped`);
    return 0;
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    out.error('build:widget failed:');
    for (const problem of e.problems) out.error(`  - ${problem}`);
    return 1;
  }
}
