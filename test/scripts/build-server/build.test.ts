import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ServerBuildError } from '../../../scripts/build-server/build-error.ts';
import { buildServer } from '../../../scripts/build-server/build.ts';
import { REPO_ROOT, SERVER_DIST, SERVER_MAIN_JS } from '../../../scripts/build-server/paths.ts';
import { PRODUCTION_NODE_FLAGS } from '../../../scripts/build-server/production-command.ts';
import { freePort, killAll, startChild, waitFor, type Child } from '../../support/child-server.ts';

const run = promisify(execFile);
const PROBE = fileURLToPath(new URL('../../support/record-loads.mjs', import.meta.url));
/** Nothing of these may be in the production server's memory. */
const DEV_ONLY =
  /\/node_modules\/(tsx|webpack|webpack-cli|esbuild|esbuild-loader|@resvg|yazl|jquery|requirejs|underscore|mocha|chai|nock)\//;
const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  SECRETS_KEY: randomBytes(32).toString('base64'),
  AMOCRM_CLIENT_ID: 'client-id',
  AMOCRM_CLIENT_SECRET: 'prod-like-integration-secret-0123456789abcdefghijklmnopqrstuvwxyz',
  PUBLIC_URL: 'https://pay.example.am',
  HOST: '127.0.0.1',
};

describe('npm run build: the production server in dist/ (child processes)', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  const children: Child[] = [];
  const tempDir = () => {
    const d = mkdtempSync(path.join(tmpdir(), 'dramlink-dist-'));
    dirs.push(d);
    return d;
  };
  const startDist = (cwd: string, env: Record<string, string>, extra: string[] = []) => {
    const child = startChild([...PRODUCTION_NODE_FLAGS, ...extra, SERVER_MAIN_JS], cwd, env);
    children.push(child);
    return child;
  };
  after(() => {
    killAll(children);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  before(async () => {
    const { stdout } = await run('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT });
    expect(stdout).to.match(
      /^built dist\/server\/main\.js, dist\/server\/export-payments\.js, dist\/server\/rotate-secrets\.js, dist\/server\/doctor\.js, dist\/server\/copy-database\.js in \d+ ms/,
    );
  });

  it('answers /readyz in production without tsx, webpack, resvg or any dev-wing file loaded, and stops on SIGTERM', async () => {
    const cwd = tempDir();
    const loads = path.join(cwd, 'loads.txt');
    const port = await freePort();
    const child = startDist(cwd, { ...PRODUCTION_ENV, PORT: String(port), DRAMLINK_LOADS_FILE: loads }, ['--import', PROBE]);
    const ready = await waitFor(`http://127.0.0.1:${port}/readyz`, child, 15_000);
    expect(ready.status, child.stderr()).to.equal(200);
    expect(await ready.json()).to.deep.equal({ status: 'ready' });
    child.proc.kill('SIGTERM');
    expect((await child.exited).code, child.stderr()).to.equal(0);

    const loaded = readFileSync(loads, 'utf8').split('\n').filter(Boolean);
    expect(
      loaded.some((m) => m.includes('/node_modules/express/')),
      'the probe sees package loads',
    ).to.equal(true);
    expect(
      loaded.some((m) => m.includes('/node_modules/axios/')),
      'and ESM ones',
    ).to.equal(true);
    expect(loaded.filter((m) => DEV_ONLY.test(m))).to.deep.equal([]);
    const ours = loaded.filter((m) => m.includes(REPO_ROOT) && !m.includes('/node_modules/'));
    const outside = ours.filter((m) => !m.includes(`${SERVER_DIST}/`) && !m.includes('/test/support/record-loads'));
    expect(outside, 'only the bundle itself from the repository').to.deep.equal([]);
  });

  const refusals: Array<[string, Record<string, string>, RegExp]> = [
    ['local mode', {}, /^dramlink: local mode .*`npm start`$/],
    ['the sandbox provider', { ...PRODUCTION_ENV, SANDBOX_ENABLED: 'true' }, /^dramlink: the sandbox provider is enabled .*`npm start`/],
  ];
  for (const [what, env, line] of refusals) {
    it(`refuses ${what} with one line naming npm start and exit 1`, async () => {
      const child = startDist(tempDir(), { ...env, PORT: String(await freePort()) });
      expect((await child.exited).code).to.equal(1);
      expect(child.stderr().trim().split('\n')).to.have.length(1);
      expect(child.stderr().trim()).to.match(line);
    });
  }

  it('runs the export tool from dist (npm run export) against the database the server created', async () => {
    const cwd = tempDir();
    const port = await freePort();
    const env = { ...PRODUCTION_ENV, PORT: String(port), DATABASE_URL: `file:${path.join(cwd, 'dramlink.db')}` };
    const server = startDist(cwd, env);
    await waitFor(`http://127.0.0.1:${port}/readyz`, server, 15_000);
    server.proc.kill('SIGTERM');
    await server.exited;
    // The fresh database has no account 7: the tool opened it (and created nothing) and says so.
    const failed = await run('npm', ['run', '--silent', 'export', '--', '--account', '7', '--from', '2026-11-01', '--to', '2026-11-30'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
    }).catch((e: unknown) => e as { code: number; stdout: string; stderr: string });
    expect(failed).to.include({ code: 1, stdout: '' });
    expect((failed as { stderr: string }).stderr).to.contain(`account 7 is not installed in ${path.join(cwd, 'dramlink.db')}`);
  });

  it('builds npm run doctor into dist/server/doctor.js, which runs without tsx and says how to call it', async () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.doctor).to.equal('node --enable-source-maps dist/server/doctor.js');
    const child = startChild(['--enable-source-maps', path.join(REPO_ROOT, 'dist/server/doctor.js')], tempDir(), PRODUCTION_ENV);
    children.push(child);
    const { code } = await child.exited;
    expect(code).to.equal(2);
    expect(child.stderr()).to.contain('usage: npm run doctor -- --account');
  });

  it('npm run start:prod runs the same command as the launcher', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['start:prod']).to.equal(`node ${PRODUCTION_NODE_FLAGS.join(' ')} ${path.relative(REPO_ROOT, SERVER_MAIN_JS)}`);
  });
});

describe('the production build refuses what production must not load', () => {
  let root: string;
  const plant = (files: Record<string, string>, dependencies: Record<string, string>) => {
    root = mkdtempSync(path.join(tmpdir(), 'dramlink-build-fixture-'));
    const all: Record<string, string> = {
      'package.json': JSON.stringify({ name: 'fixture', type: 'module', dependencies }),
      'server/cli/export-payments.ts': "console.log('export');\n",
      'server/cli/rotate-secrets.ts': "console.log('rotate');\n",
      'server/cli/doctor.ts': "console.log('doctor');\n",
      'server/cli/copy-database.ts': "console.log('copy');\n",
      'server/db/migrations/meta/_journal.json': '{"entries":[]}',
      'server/db/migrations-pg/meta/_journal.json': '{"entries":[0]}',
      ...files,
    };
    for (const [file, text] of Object.entries(all)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
  };
  const buildProblems = async () => {
    const error = await buildServer({ root, outDir: path.join(root, 'dist/server') }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ServerBuildError);
    return (error as ServerBuildError).problems;
  };
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('names a package imported by the server that is only a devDependency', async () => {
    plant(
      { 'server/main.ts': "import { tsImport } from 'tsx/esm/api';\nimport express from 'express';\nconsole.log(tsImport, express);\n" },
      { express: '^5' },
    );
    expect(await buildProblems()).to.deep.equal([
      'the server imports "tsx", which is not in package.json "dependencies": move it there, or stop importing it',
    ]);
  });

  it('names a dev-wing file bundled into the server', async () => {
    plant(
      {
        'server/main.ts': "import { x } from '../scripts/emulator.ts';\nconsole.log(x);\n",
        'scripts/emulator.ts': 'export const x = 1;\n',
      },
      {},
    );
    expect(await buildProblems()).to.deep.equal([
      'scripts/emulator.ts is bundled into the production server: server/ must never import the dev wing or tests',
    ]);
  });

  it('builds a clean tree, with the migrations beside the bundles', async () => {
    plant({ 'server/main.ts': "import express from 'express';\nconsole.log(express);\n" }, { express: '^5' });
    const result = await buildServer({ root, outDir: path.join(root, 'dist/server') });
    expect(result.packages).to.deep.equal(['express']);
    expect(readFileSync(path.join(root, 'dist/server/migrations/meta/_journal.json'), 'utf8')).to.equal('{"entries":[]}');
    expect(readFileSync(path.join(root, 'dist/server/migrations-pg/meta/_journal.json'), 'utf8'), 'PostgreSQL').to.equal('{"entries":[0]}');
  });
});
