import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { ServerBuildError } from './build-server/build-error.ts';
import { ensureServerBuilt } from './build-server/ensure-built.ts';
import { SERVER_MAIN_JS } from './build-server/paths.ts';
import { PRODUCTION_NODE_FLAGS } from './build-server/production-command.ts';
import { needsDevWing, runPlanOf } from '../server/config/run-mode.ts';

/**
 * `npm start`, the README's one command. Decides with the config's own runPlanOf:
 * - local mode, or the sandbox provider enabled: the dev wing's entry (scripts/local-mode/main.ts)
 *   in this process, from source (the emulator, the playground, the sandbox gateway);
 * - otherwise production: builds dist/server when missing or older than the sources, then runs
 *   `node <PRODUCTION_NODE_FLAGS> dist/server/main.js` in a child (no tsx, no dev wing), forwarding
 *   SIGTERM and SIGINT and exiting with its code. Where dev tools are not installed (tsx is one),
 *   run `npm run start:prod`, the same command.
 */
if (needsDevWing(runPlanOf(process.env))) {
  await import('./local-mode/main.ts');
} else {
  try {
    await ensureServerBuilt((line) => process.stdout.write(`${line}\n`));
  } catch (err) {
    if (!(err instanceof ServerBuildError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  const child = spawn(process.execPath, [...PRODUCTION_NODE_FLAGS, SERVER_MAIN_JS], { stdio: 'inherit' });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
}
