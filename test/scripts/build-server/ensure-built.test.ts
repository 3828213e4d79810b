import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serverStaleReason } from '../../../scripts/build-server/ensure-built.ts';

describe('npm start: when the production build is stale', () => {
  let root: string;
  let mainJs: string;
  const at = (file: string, seconds: number) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), '');
    utimesSync(path.join(root, file), seconds, seconds);
  };
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'dramlink-stale-'));
    mainJs = path.join(root, 'dist/server/main.js');
    at('package.json', 1000);
    at('server/app.ts', 1000);
    at('shared/money.ts', 1000);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('rebuilds when dist/server/main.js is missing', async () => {
    expect(await serverStaleReason(root, mainJs)).to.equal('dist/server/main.js is missing');
  });

  it('keeps a build newer than every source', async () => {
    at('dist/server/main.js', 2000);
    expect(await serverStaleReason(root, mainJs)).to.equal(undefined);
  });

  for (const file of ['server/payments/rules/paid.ts', 'shared/money.ts', 'scripts/build-server/build.ts', 'package.json']) {
    it(`rebuilds after ${file} changed`, async () => {
      at('dist/server/main.js', 2000);
      at(file, 3000);
      expect(await serverStaleReason(root, mainJs)).to.equal(`${file} changed after the last build`);
    });
  }

  it('ignores changes in the dev wing and tests, which the build does not contain', async () => {
    at('dist/server/main.js', 2000);
    at('scripts/local-mode/index.ts', 3000);
    at('test/server/app.test.ts', 3000);
    expect(await serverStaleReason(root, mainJs)).to.equal(undefined);
  });
});
