import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureWidgetBuilt, staleReason } from '../../../scripts/local-mode/widget-build.ts';
import { DIST_WIDGET_DIR, REPO_ROOT } from '../../../scripts/local-mode/paths.ts';

describe('local mode: widget build freshness', () => {
  let dir: string;
  let widgetDir: string;
  let distDir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dramlink-widget-build-'));
    widgetDir = path.join(dir, 'widget');
    distDir = path.join(dir, 'dist');
    mkdirSync(path.join(widgetDir, 'src'), { recursive: true });
    writeFileSync(path.join(widgetDir, 'src', 'a.ts'), 'export {};\n');
    writeFileSync(path.join(widgetDir, 'manifest.json'), '{}\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const at = (file: string, seconds: number) => utimesSync(file, seconds, seconds);

  it('is stale when script.js is missing or older than any file in widget/, fresh otherwise', async () => {
    expect(await staleReason(widgetDir, distDir)).to.match(/script\.js is missing/);
    mkdirSync(path.join(distDir, 'widget'), { recursive: true });
    const script = path.join(distDir, 'widget', 'script.js');
    writeFileSync(script, 'define(()=>{});\n');
    at(path.join(widgetDir, 'manifest.json'), 1_000);
    at(path.join(widgetDir, 'src', 'a.ts'), 3_000);
    at(script, 2_000);
    expect(await staleReason(widgetDir, distDir)).to.equal('a.ts changed after the last build');
    at(script, 4_000);
    expect(await staleReason(widgetDir, distDir)).to.equal(undefined);
    const lines: string[] = [];
    expect(await ensureWidgetBuilt({ serverUrl: 'http://localhost:3000', log: (l) => lines.push(l), widgetDir, distDir })).to.deep.equal({
      state: 'fresh',
    });
    expect(lines, 'nothing printed when nothing is built').to.deep.equal([]);
  });

  it('reports a failed build as problems, leaves dist/ as it was and no build folder behind (also removes abandoned ones)', async () => {
    mkdirSync(path.join(distDir, '.build-999999999-dead'), { recursive: true });
    const result = await ensureWidgetBuilt({
      serverUrl: 'http://localhost:3000',
      log: () => undefined,
      widgetDir: path.join(dir, 'nothing-here'),
      distDir,
    });
    expect(result.state).to.equal('failed');
    expect(result.state === 'failed' && result.problems.join('\n')).to.match(/manifest\.json is missing/);
    expect(readdirSync(distDir)).to.deep.equal([]);
  });

  it('finds the repository dist/ from its own location, not the working directory', () => {
    expect(DIST_WIDGET_DIR).to.equal(path.join(REPO_ROOT, 'dist', 'widget'));
    expect(existsSync(path.join(REPO_ROOT, 'widget', 'manifest.json'))).to.equal(true);
  });
});
