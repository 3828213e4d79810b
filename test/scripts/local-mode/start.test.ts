import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, killAll, startChild, waitFor, type Child } from '../../support/child-server.ts';

/**
 * The dev wing's entry in a child process (`node --import tsx scripts/local-mode/main.ts`, what
 * `npm start` runs in local mode), from a fresh folder with only the environment given here.
 */
const MAIN = fileURLToPath(new URL('../../../scripts/local-mode/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

const start = (cwd: string, env: Record<string, string>): Child => startChild(['--import', TSX, MAIN], cwd, env);

describe('scripts/local-mode/main (child process)', function () {
  this.timeout(30_000);
  const dirs: string[] = [];
  const children: Child[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'dramlink-local-start-'));
    dirs.push(d);
    return d;
  };
  after(async () => {
    killAll(children);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
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
