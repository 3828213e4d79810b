import path from 'node:path';
import { ServerBuildError } from './build-error.ts';
import { buildServer } from './build.ts';
import { REPO_ROOT } from './paths.ts';

/** `npm run build`: dist/server/main.js (the production server), export-payments.js and rotate-secrets.js. */
try {
  const result = await buildServer();
  const files = result.files.filter((f) => f.endsWith('.js')).map((f) => path.relative(REPO_ROOT, path.resolve(REPO_ROOT, f)));
  process.stdout.write(`built ${files.join(', ')} in ${result.ms} ms; run-time packages: ${result.packages.join(', ')}\n`);
} catch (err) {
  if (!(err instanceof ServerBuildError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exitCode = 1;
}
