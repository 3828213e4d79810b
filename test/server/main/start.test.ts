import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The real entry point in a child process: `node --import tsx server/main.ts`, run from a fresh
 * folder (data lives relative to the working directory) with only the environment given here.
 */
const MAIN = fileURLToPath(new URL('../../../server/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

interface Child {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(cwd: string, env: Record<string, string>): Child {
  const proc = spawn(process.execPath, ['--import', TSX, MAIN], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { proc, stdout: () => out, stderr: () => err, exited };
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

async function waitFor(url: string, child: Child, ms: number): Promise<Response> {
  const deadline = Date.now() + ms;
  let exited = false;
  void child.exited.then(() => (exited = true));
  for (;;) {
    if (exited) throw new Error(`server exited early:\n${child.stderr()}\n${child.stdout()}`);
    try {
      return await fetch(url);
    } catch {
      if (Date.now() > deadline) throw new Error(`${url} did not answer within ${ms} ms:\n${child.stderr()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('server/main (child process)', function () {
  this.timeout(30_000);
  const dirs: string[] = [];
  const children: Child[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'dramlink-start-'));
    dirs.push(d);
    return d;
  };
  after(async () => {
    for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('exits 1 on an invalid configuration with one line per problem and no stack trace', async () => {
    const cwd = tempDir();
    const child = start(cwd, { PORT: 'abc', LOG_LEVEL: 'loud', AMOCRM_TOKEN_REPLAY: 'maybe', DATABASE_URL: 'postgres://db/dramlink' });
    children.push(child);
    const { code } = await child.exited;
    expect(code).to.equal(1);
    const lines = child.stderr().trim().split('\n');
    expect(lines.map((l) => l.replace(/^config error: /, '').split(':')[0]).sort()).to.deep.equal([
      'AMOCRM_TOKEN_REPLAY',
      'DATABASE_URL',
      'LOG_LEVEL',
      'PORT',
    ]);
    for (const line of lines) expect(line).to.match(/^config error: [A-Z_]+: /);
    expect(child.stderr()).to.not.match(/^\s+at /m);
    expect(readdirSync(cwd), 'nothing created before the configuration is valid').to.deep.equal([]);
  });

  it('exits 1 in production without the required settings, naming each one', async () => {
    const child = start(tempDir(), { NODE_ENV: 'production', PORT: String(await freePort()) });
    children.push(child);
    expect((await child.exited).code).to.equal(1);
    const names = child
      .stderr()
      .trim()
      .split('\n')
      .map((l) => l.replace(/^config error: /, '').split(':')[0]);
    expect(names).to.deep.equal(['SECRETS_KEY', 'AMOCRM_CLIENT_ID', 'AMOCRM_CLIENT_SECRET', 'PUBLIC_URL']);
    expect(child.stderr()).to.not.match(/^\s+at /m);
  });

  describe('local mode with no environment', () => {
    let cwd: string;
    let port: number;
    let child: Child;
    before(async () => {
      cwd = tempDir();
      port = await freePort();
      child = start(cwd, { PORT: String(port) });
      children.push(child);
    });

    it('answers /healthz and /readyz within 10 s and keeps its data under the working directory', async () => {
      const health = await waitFor(`http://127.0.0.1:${port}/healthz`, child, 10_000);
      expect(health.status).to.equal(200);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).to.equal(200);
      expect(await ready.json()).to.deep.equal({ status: 'ready' });
      expect(statSync(join(cwd, 'data', 'dramlink.db')).isFile()).to.equal(true);
      expect(statSync(join(cwd, 'data', 'secrets.key')).size, 'a generated SECRETS_KEY').to.be.greaterThan(40);
      expect(child.stdout()).to.contain(`local mode: open http://localhost:${port}`);
    });

    it('on SIGTERM lets the request in flight complete, stops accepting, then exits 0', async () => {
      // A request whose body is still arriving when the signal comes.
      let status = 0;
      let body = '';
      const res = new Promise<void>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/api/v1/leads/1/payments',
            headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
          },
          (r) => {
            status = r.statusCode ?? 0;
            r.on('data', (c: Buffer) => (body += c.toString('utf8')));
            r.on('end', resolve);
          },
        );
        req.on('error', reject);
        req.write('{"amountMinor":');
        setTimeout(() => {
          child.proc.kill('SIGTERM');
          setTimeout(async () => {
            try {
              expect(child.proc.exitCode, 'still running while a request is in flight').to.equal(null);
              const refused = await fetch(`http://127.0.0.1:${port}/healthz`).then(
                () => false,
                () => true,
              );
              expect(refused, 'no new connections after SIGTERM').to.equal(true);
              req.end('150000}');
            } catch (err) {
              reject(err);
            }
          }, 500);
        }, 300);
      });
      await res;
      // Whatever the route answers, it answers in full: a status and the JSON envelope.
      expect(status, body).to.be.greaterThan(0);
      expect(JSON.parse(body)).to.be.an('object');
      const { code } = await child.exited;
      expect(code).to.equal(0);
      expect(child.stderr()).to.not.match(/^\s+at /m);
      expect(existsSync(join(cwd, 'data', 'dramlink.db'))).to.equal(true);
    });
  });
});
