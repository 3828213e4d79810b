import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, killAll, startChild, type Child } from '../support/child-server.ts';

/**
 * The production entry in a child process: `node --import tsx server/main.ts` (the same code the
 * build compiles to dist/server/main.js), run from a fresh folder (data lives relative to the
 * working directory) with only the environment given here.
 */
const MAIN = fileURLToPath(new URL('../../server/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const KEY = randomBytes(32).toString('base64');

const start = (cwd: string, env: Record<string, string>): Child => startChild(['--import', TSX, MAIN], cwd, env);

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
    killAll(children);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('exits 1 on an invalid configuration with one line per problem and no stack trace', async () => {
    const cwd = tempDir();
    const child = start(cwd, { PORT: 'abc', LOG_LEVEL: 'loud', AMOCRM_TOKEN_REPLAY: 'maybe', DATABASE_URL: 'mysql://db/dramlink' });
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

  const refusals: Array<[string, Record<string, string>, RegExp]> = [
    ['local mode (no AMOCRM_CLIENT_ID)', {}, /^dramlink: local mode .* start it with `npm start`$/],
    ['local mode under NODE_ENV=test', { NODE_ENV: 'test' }, /^dramlink: local mode .* start it with `npm start`$/],
    [
      'the sandbox enabled by default in development',
      { NODE_ENV: 'development', AMOCRM_CLIENT_ID: 'id', AMOCRM_CLIENT_SECRET: 'secret' },
      /^dramlink: the sandbox provider is enabled .*no sandbox gateway: start it with `npm start`, or set SANDBOX_ENABLED=false$/,
    ],
    [
      'SANDBOX_ENABLED=true in production',
      {
        NODE_ENV: 'production',
        SANDBOX_ENABLED: 'true',
        SECRETS_KEY: KEY,
        AMOCRM_CLIENT_ID: 'id',
        AMOCRM_CLIENT_SECRET: 'prod-like-integration-secret-0123456789abcdefghijklmnopqrstuvwxyz',
        PUBLIC_URL: 'https://pay.example.am',
      },
      /^dramlink: the sandbox provider is enabled .*`npm start`/,
    ],
  ];
  for (const [what, env, line] of refusals) {
    it(`refuses ${what} with one line naming npm start, exit 1, nothing created`, async () => {
      const cwd = tempDir();
      const child = start(cwd, { PORT: String(await freePort()), ...env });
      children.push(child);
      expect((await child.exited).code).to.equal(1);
      const lines = child.stderr().trim().split('\n');
      expect(lines, child.stderr()).to.have.length(1);
      expect(lines[0]).to.match(line);
      expect(child.stdout()).to.equal('');
      expect(readdirSync(cwd), 'no data folder: the refusal comes before the database').to.deep.equal([]);
    });
  }
});
