import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveBuildTarget } from './build-target.ts';
import { runBuild } from './run.ts';

/**
 * npm run build:widget: writes dist/widget/ and dist/widget.zip for the server at PUBLIC_URL (https),
 * with the support contacts amoCRM shows admins; `-- --local` builds for the local playground.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const target = resolveBuildTarget(process.argv.slice(2), process.env);
if ('problems' in target) {
  console.error('build:widget refused:');
  for (const p of target.problems) console.error(`  - ${p}`);
  process.exitCode = 1;
} else {
  process.exitCode = await runBuild({
    widgetDir: path.join(root, 'widget'),
    outDir: path.join(root, 'dist/widget'),
    zipFile: path.join(root, 'dist/widget.zip'),
    serverUrl: target.serverUrl,
    support: target.support,
    production: !target.local,
    widgetCode: target.widgetCode,
  });
}
