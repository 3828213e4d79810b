import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveBuildTarget } from '../../../scripts/build-widget/build-target.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const good = { PUBLIC_URL: 'https://pay.shop.am/', WIDGET_SUPPORT_URL: 'https://shop.am/help', WIDGET_SUPPORT_EMAIL: 'help@shop.am' };
const problems = (argv: string[], env: Record<string, string | undefined>) => {
  const r = resolveBuildTarget(argv, env);
  return 'problems' in r ? r.problems : [];
};

describe('npm run build:widget: what it builds for', () => {
  it('builds for an https PUBLIC_URL with the support contacts from the environment', () => {
    expect(resolveBuildTarget([], good)).to.deep.equal({
      serverUrl: 'https://pay.shop.am',
      local: false,
      support: { link: 'https://shop.am/help', email: 'help@shop.am' },
    });
  });

  it('refuses PUBLIC_URL unset (no silent http://localhost:3000), without a scheme, or with http://', () => {
    expect(problems([], { ...good, PUBLIC_URL: undefined })[0]).to.match(/^PUBLIC_URL is not set/);
    expect(problems([], { ...good, PUBLIC_URL: 'pay.shop.am' })[0]).to.match(
      /not an absolute URL: write it with its scheme, e\.g\. https:\/\/pay\.shop\.am/,
    );
    expect(problems([], { ...good, PUBLIC_URL: 'http://pay.shop.am' })[0]).to.match(/must start with https:\/\//);
    expect(problems([], { ...good, PUBLIC_URL: 'https://localhost:3000' })[0]).to.match(/loopback.*--local/);
  });

  it('refuses placeholder or missing support contacts for an archive meant for real accounts', () => {
    expect(problems([], { ...good, WIDGET_SUPPORT_URL: 'https://example.com/dramlink' })).to.have.length(1);
    expect(problems([], { ...good, WIDGET_SUPPORT_EMAIL: 'support@example.com' })[0]).to.match(/placeholder/);
    expect(problems([], { ...good, WIDGET_SUPPORT_EMAIL: undefined, WIDGET_SUPPORT_URL: undefined })).to.have.length(2);
    expect(problems([], { ...good, WIDGET_SUPPORT_EMAIL: 'nobody' })[0]).to.match(/not an e-mail address/);
  });

  it('builds for the playground with --local, on PORT, and refuses unknown arguments', () => {
    expect(resolveBuildTarget(['--local'], { PORT: '4000' })).to.deep.equal({ serverUrl: 'http://localhost:4000', local: true });
    expect(problems(['--lokal'], good)[0]).to.equal('unknown argument --lokal');
  });

  it("takes amoCRM's widget code for the Salesbot step's logo when given, and refuses one amoCRM could not have", () => {
    expect(resolveBuildTarget([], { ...good, WIDGET_CODE: 'dramlink_pay' })).to.include({ widgetCode: 'dramlink_pay' });
    expect(resolveBuildTarget(['--local'], { WIDGET_CODE: 'dl_1' })).to.include({ widgetCode: 'dl_1', local: true });
    expect(problems([], { ...good, WIDGET_CODE: '../x' })[0]).to.match(/^WIDGET_CODE "..\/x" is not a widget code/);
  });

  it('exits 1 with one line per problem and builds nothing when refused', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/build-widget/main.ts')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', PUBLIC_URL: 'http://pay.shop.am' },
      encoding: 'utf8',
    });
    expect(run.status).to.equal(1);
    expect(run.stderr).to.match(/^build:widget refused:\n {2}- PUBLIC_URL "http:\/\/pay\.shop\.am" must start with https:\/\//);
    expect(run.stderr).to.not.match(/\bat \w+ \(/);
  });
});
