import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createSecretBox } from '../../server/crypto/secret-box.ts';
import { serverMeta } from '../../server/db/schema.ts';
import { freePort, killAll, startChild, waitFor, type Child } from '../support/child-server.ts';
import { startTestApp } from '../support/test-app.ts';

/**
 * Finding 4 (Medium), as attacks that must fail: the server started with another SECRETS_KEY
 * (a typo, a copied environment) and answered ready, then failed every payment page, every settings
 * call and every notification (Idram cancels a payment whose confirmation is refused). Now the start
 * stops with one line naming SECRETS_KEY, /readyz checks the key, and rotation is a command.
 */
const MAIN = fileURLToPath(new URL('../../server/main.ts', import.meta.url));
const ROTATE = fileURLToPath(new URL('../../server/cli/rotate-secrets.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const run = promisify(execFile);

describe('fault: a SECRETS_KEY that does not open the data (finding 4)', function () {
  this.timeout(60_000);
  const children: Child[] = [];
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'dramlink-key-attack-'));
  });
  after(() => {
    killAll(children);
    rmSync(dir, { recursive: true, force: true });
  });

  const keyA = randomBytes(32).toString('base64');
  const keyB = randomBytes(32).toString('base64');
  const env = (key: string) => ({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PUBLIC_URL: 'https://pay.example.am',
    DATABASE_URL: `file:${join(dir, 'dramlink.db')}`,
    SECRETS_KEY: key,
    AMOCRM_CLIENT_ID: 'attack-suite',
    AMOCRM_CLIENT_SECRET: 'prod-like-integration-secret-0123456789abcdefghijklmnopqrstuvwxyz',
    METRICS_PUBLIC: 'true',
  });
  const startMain = async (key: string) => {
    const port = await freePort();
    const child = startChild(['--import', TSX, MAIN], dir, { ...env(key), PORT: String(port) });
    children.push(child);
    return { child, url: `http://127.0.0.1:${port}` };
  };

  it('stops a start with another key with one line naming SECRETS_KEY, and serves nothing; rotation then makes the new key the one', async () => {
    const first = await startMain(keyA);
    expect((await waitFor(`${first.url}/readyz`, first.child, 20_000)).status, first.child.stderr()).to.equal(200);
    first.child.proc.kill('SIGTERM');
    await first.child.exited;

    const wrong = await startMain(keyB);
    const { code } = await wrong.child.exited;
    const lines = wrong.child.stderr().trim().split('\n');
    expect(code).to.equal(1);
    expect(lines, wrong.child.stderr()).to.have.length(1);
    expect(lines[0]).to.match(/^dramlink failed to start: SECRETS_KEY does not open the data in this database/);
    expect(lines[0]).to.not.contain(keyA).and.not.contain(keyB);
    const listening = await fetch(`${wrong.url}/readyz`).then(
      () => true,
      () => false,
    );
    expect(listening, 'nothing listens').to.equal(false);

    await run(process.execPath, ['--import', TSX, ROTATE, '--from', keyA], { env: { PATH: process.env.PATH, ...env(keyB) } });
    const rotated = await startMain(keyB);
    expect((await waitFor(`${rotated.url}/readyz`, rotated.child, 20_000)).status).to.equal(200);
    rotated.child.proc.kill('SIGTERM');
    await rotated.child.exited;
    const old = await startMain(keyA);
    expect((await old.child.exited).code, 'the old key no longer opens it').to.equal(1);
  });

  it('takes the server out of readiness (/readyz 503 secrets_key_mismatch) when the stored check stops opening', async () => {
    const t = await startTestApp();
    try {
      t.db
        .update(serverMeta)
        .set({ value: createSecretBox(randomBytes(32)).seal('dramlink secrets check v1') })
        .run();
      const res = await fetch(`${t.url}/readyz`);
      expect(res.status).to.equal(503);
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('secrets_key_mismatch');
    } finally {
      await t.close();
    }
  });
});
