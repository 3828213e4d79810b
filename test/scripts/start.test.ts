import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_MAIN_JS } from '../../scripts/build-server/paths.ts';
import { PRODUCTION_NODE_FLAGS } from '../../scripts/build-server/production-command.ts';
import { freePort, killAll, startChild, waitFor, type Child } from '../support/child-server.ts';

/** `npm start` as the README runs it: `node --import tsx scripts/start.ts`, from a fresh folder. */
const LAUNCHER = fileURLToPath(new URL('../../scripts/start.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  SECRETS_KEY: randomBytes(32).toString('base64'),
  AMOCRM_CLIENT_ID: 'client-id',
  AMOCRM_CLIENT_SECRET: 'prod-like-integration-secret-0123456789abcdefghijklmnopqrstuvwxyz',
  PUBLIC_URL: 'https://pay.example.am',
  HOST: '127.0.0.1',
};

/** The command line of each child process of `pid` (Linux /proc). */
function childCommands(pid: number): string[][] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  return children.map((c) => readFileSync(`/proc/${c}/cmdline`, 'utf8').split('\0').filter(Boolean));
}

describe('npm start: the launcher (child processes)', function () {
  this.timeout(90_000);
  const dirs: string[] = [];
  const children: Child[] = [];
  const launch = async (env: Record<string, string>) => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dramlink-launch-'));
    dirs.push(cwd);
    const port = await freePort();
    const child = startChild(['--import', TSX, LAUNCHER], cwd, { ...env, PORT: String(port) });
    children.push(child);
    return { child, base: `http://127.0.0.1:${port}` };
  };
  after(() => {
    killAll(children);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('in production runs the built server in a child without tsx, forwards SIGTERM and exits with its code', async () => {
    const { child, base } = await launch(PRODUCTION_ENV);
    const ready = await waitFor(`${base}/readyz`, child, 60_000);
    expect(ready.status, child.stderr()).to.equal(200);
    const commands = childCommands(child.proc.pid!);
    expect(commands).to.have.length(1);
    expect(commands[0].slice(1)).to.deep.equal([...PRODUCTION_NODE_FLAGS, SERVER_MAIN_JS]);
    child.proc.kill('SIGTERM');
    expect((await child.exited).code, child.stderr()).to.equal(0);
    expect(child.stdout()).to.contain('"message":"stopped"');
  });

  it("passes the production server's exit code through (1 on a configuration it refuses)", async () => {
    const { child } = await launch({ ...PRODUCTION_ENV, PUBLIC_URL: '' });
    expect((await child.exited).code).to.equal(1);
    expect(child.stderr()).to.contain('config error: PUBLIC_URL: required in production');
  });

  it('with the sandbox enabled outside local mode runs the production app plus the sandbox gateway from source, no playground', async () => {
    const { child, base } = await launch({ NODE_ENV: 'development', AMOCRM_CLIENT_ID: 'id', AMOCRM_CLIENT_SECRET: 'secret' });
    await waitFor(`${base}/readyz`, child, 30_000);
    expect(childCommands(child.proc.pid!), 'in process').to.deep.equal([]);
    const api = await fetch(`${base}/sandbox/api/sessions/ses_missing`);
    expect(((await api.json()) as { error: { code: string } }).error.code).to.equal('sandbox_session_not_found');
    expect((await fetch(`${base}/`)).status, 'no playground outside local mode').to.equal(404);
    child.proc.kill('SIGTERM');
    expect((await child.exited).code).to.equal(0);
  });

  it('in local mode runs the dev wing in process: the playground answers', async () => {
    const { child, base } = await launch({});
    await waitFor(`${base}/readyz`, child, 30_000);
    const page = await fetch(`${base}/`);
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/html/);
    expect(child.stdout()).to.contain('dramlink is running in local mode');
    child.proc.kill('SIGTERM');
    expect((await child.exited).code).to.equal(0);
  });
});
