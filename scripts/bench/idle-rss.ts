import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureServerBuilt } from '../build-server/ensure-built.ts';
import { SERVER_MAIN_JS } from '../build-server/paths.ts';
import { PRODUCTION_NODE_FLAGS } from '../build-server/production-command.ts';

export interface IdleRssResult {
  rssMb: number;
  /** How long after /readyz first answered the RSS was read. */
  settledMs: number;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/**
 * The production server as production runs it (dist/server/main.js with the production flags, a
 * production configuration, a fresh database): its resident set a few seconds after /readyz
 * answers, before any traffic but the readiness checks.
 */
export async function runIdleRssBench(opts: { settleMs?: number } = {}): Promise<IdleRssResult> {
  const settledMs = opts.settleMs ?? 3000;
  await ensureServerBuilt((line) => console.log(line));
  const dir = mkdtempSync(join(tmpdir(), 'dramlink-idle-'));
  const port = await freePort();
  const child = spawn(process.execPath, [...PRODUCTION_NODE_FLAGS, SERVER_MAIN_JS], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: 'https://pay.example.am',
      SECRETS_KEY: randomBytes(32).toString('base64'),
      AMOCRM_CLIENT_ID: 'bench-client',
      AMOCRM_CLIENT_SECRET: 'bench-integration-secret-0123456789abcdefghijklmnopqrstuvwxyz',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error('the production server did not become ready');
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, settledMs));
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
    return { rssMb: Math.round(kb / 1024), settledMs };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await runIdleRssBench(), null, 2));
}
