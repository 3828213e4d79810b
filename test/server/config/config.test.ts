import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { AMOCRM_MAX_RPS, ConfigError, loadConfig, sqlitePath } from '../../../server/config/config.ts';

const KEY = randomBytes(32).toString('base64');
const PRODUCTION = {
  NODE_ENV: 'production',
  SECRETS_KEY: KEY,
  AMOCRM_CLIENT_ID: 'client-id',
  AMOCRM_CLIENT_SECRET: 'x7Rk2mQp9vLw4nTz8bYc1dFg6hJs3aEu5oPi0qWe7rTy2uIo9pAs4dFg6hJk8lZx',
  PUBLIC_URL: 'https://pay.example.am',
  METRICS_TOKEN: 'metrics-token-for-the-scraper',
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe('server/config loadConfig', () => {
  describe('one line per bad value, naming the variable', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['PORT', 'abc', /port number/],
      ['PORT', '70000', /port number/],
      ['PORT', '-1', /port number/],
      ['PORT', '80.5', /port number/],
      ['PUBLIC_URL', 'not-a-url', /absolute http\(s\) URL/],
      ['PUBLIC_URL', 'ftp://pay.example.am', /absolute http\(s\) URL/],
      ['DATABASE_URL', 'mysql://user:pw@db.example.am/dramlink', /SQLite file URL.*PostgreSQL URL/],
      ['DATABASE_URL', './data/dramlink.db', /SQLite file URL/],
      ['DATABASE_POOL_SIZE', '0', /PostgreSQL connections per instance, 1-200/],
      ['DATABASE_POOL_SIZE', 'many', /PostgreSQL connections per instance, 1-200/],
      ['SECRETS_KEY', 'c2hvcnQ=', /32 random bytes in base64/],
      ['SECRETS_KEY', Buffer.alloc(32, 1).toString('hex'), /32 random bytes in base64/],
      ['SECRETS_KEY', `${KEY}!`, /32 random bytes in base64/],
      ['AMOCRM_REDIRECT_URI', 'callback', /absolute URL/],
      ['AMOCRM_BASE_URL', '127.0.0.1:4010', /absolute http\(s\) URL/],
      ['AMOCRM_RPS', '0', /whole number of requests per second/],
      ['AMOCRM_RPS', 'fast', /whole number of requests per second/],
      ['AMOCRM_RPS', '2.5', /whole number of requests per second/],
      ['AMOCRM_BATCH_SIZE', '251', /at most 250/],
      ['AMOCRM_BATCH_SIZE', '0', /1-250/],
      ['AMOCRM_TOKEN_REPLAY', 'maybe', /"reject" or "log"/],
      ['LOG_LEVEL', 'loud', /one of error, warn, info/],
      ['SANDBOX_ENABLED', 'yes', /true or false/],
      ['PROVIDER_ALLOWED_HOSTS', 'https://bank.example.am', /host\[:port\] entries/],
      ['PROVIDER_ALLOWED_HOSTS', '127.0.0.1:4010,user@bank.example.am', /host\[:port\] entries/],
      ['PROVIDER_ALLOWED_HOSTS', 'bank.example.am/path', /host\[:port\] entries/],
      ['PROVIDER_ALLOWED_HOSTS', 'bank.example.am:99999', /host\[:port\] entries/],
      ['METRICS_TOKEN', 'short', /at least 16 characters/],
      ['METRICS_PUBLIC', 'yes', /true or false/],
      ['HOST', '0.0.0.0', /local mode listens on loopback only/],
      ['HOST', '192.168.1.20', /local mode listens on loopback only/],
    ];
    for (const [name, value, expects] of cases) {
      it(`refuses ${name}=${value} with one line that names ${name} and what it expects`, () => {
        const problems = problemsOf({ [name]: value });
        expect(problems).to.have.length(1);
        expect(problems[0]).to.match(new RegExp(`^${name}: `));
        expect(problems[0]).to.match(expects);
        expect(problems[0], 'no stack or JSON dump').to.not.match(/\n|\bat \S+:\d+|\{/);
      });
    }

    it('reports every bad variable at once, one line each, in a ConfigError whose message lists them', () => {
      let error: ConfigError | undefined;
      try {
        loadConfig({
          PORT: 'abc',
          LOG_LEVEL: 'loud',
          AMOCRM_TOKEN_REPLAY: 'maybe',
          DATABASE_URL: 'mysql://x/y',
          PUBLIC_URL: 'nope',
          SECRETS_KEY: 'short',
        });
      } catch (err) {
        error = err as ConfigError;
      }
      expect(error).to.be.instanceOf(ConfigError);
      expect(error!.problems.map((p) => p.split(':')[0]).sort()).to.deep.equal(
        ['AMOCRM_TOKEN_REPLAY', 'DATABASE_URL', 'LOG_LEVEL', 'PORT', 'PUBLIC_URL', 'SECRETS_KEY'].sort(),
      );
      for (const p of error!.problems) expect(error!.message).to.contain(p);
    });

    it('does not leak the bad value of SECRETS_KEY into the problem line', () => {
      const secret = 'dGhpcyBpcyBub3QgMzIgYnl0ZXMgbG9uZw==';
      expect(problemsOf({ SECRETS_KEY: secret }).join('\n')).to.not.contain(secret);
    });

    it('treats empty values as unset (FOO= npm start means no FOO)', () => {
      const c = loadConfig({ PORT: '', HOST: '', LOG_LEVEL: '', AMOCRM_CLIENT_ID: '' });
      expect(c).to.deep.include({ port: 3000, host: '127.0.0.1', logLevel: 'info', mode: 'local' });
    });
  });

  describe('production', () => {
    it('starts with the required settings', () => {
      const c = loadConfig(PRODUCTION);
      expect(c.mode).to.equal('production');
      expect(c.secretsKey?.length).to.equal(32);
      expect(c.sandboxEnabled, 'sandbox off in production by default').to.equal(false);
      expect(loadConfig({ ...PRODUCTION, SANDBOX_ENABLED: 'true' }).sandboxEnabled).to.equal(true);
    });

    for (const name of ['SECRETS_KEY', 'AMOCRM_CLIENT_ID', 'AMOCRM_CLIENT_SECRET', 'PUBLIC_URL'] as const) {
      it(`refuses to start in production without ${name}`, () => {
        const env: Record<string, string | undefined> = { ...PRODUCTION, [name]: undefined };
        const problems = problemsOf(env);
        expect(problems).to.have.length(1);
        expect(problems[0]).to.match(new RegExp(`^${name}: required in production`));
      });
    }

    it('lists every missing production setting at once', () => {
      expect(problemsOf({ NODE_ENV: 'production' }).map((p) => p.split(':')[0])).to.deep.equal([
        'SECRETS_KEY',
        'AMOCRM_CLIENT_ID',
        'AMOCRM_CLIENT_SECRET',
        'PUBLIC_URL',
      ]);
    });

    it('reports a malformed value and a missing production setting in the same start', () => {
      const problems = problemsOf({ ...PRODUCTION, PORT: 'abc', SECRETS_KEY: undefined });
      expect(problems.map((p) => p.split(':')[0]).sort()).to.deep.equal(['PORT', 'SECRETS_KEY']);
    });

    it('applies production rules to any NODE_ENV but development and test (a typo such as Production is not a playground)', () => {
      expect(problemsOf({ NODE_ENV: 'Production' }).map((p) => p.split(':')[0])).to.deep.equal([
        'SECRETS_KEY',
        'AMOCRM_CLIENT_ID',
        'AMOCRM_CLIENT_SECRET',
        'PUBLIC_URL',
      ]);
      const c = loadConfig({ ...PRODUCTION, NODE_ENV: 'staging' });
      expect(c).to.deep.include({ mode: 'production', sandboxEnabled: false });
      expect(c.warnings).to.deep.equal(['NODE_ENV=staging is neither development nor test: production rules apply']);
      expect(loadConfig(PRODUCTION).warnings).to.deep.equal([]);
      expect(loadConfig({ NODE_ENV: 'test' }).mode).to.equal('local');
    });

    it('refuses a plain http PUBLIC_URL in production (customers would pay over an unencrypted page)', () => {
      expect(problemsOf({ ...PRODUCTION, PUBLIC_URL: 'http://pay.example.am' })).to.have.length(1);
      expect(problemsOf({ ...PRODUCTION, PUBLIC_URL: 'http://pay.example.am' })[0]).to.match(/^PUBLIC_URL: must be an https:\/\/ URL/);
    });

    it('refuses a SECRETS_KEY that is not random (all-equal bytes, a repeated pattern) without printing it', () => {
      for (const key of [Buffer.alloc(32, 0), Buffer.alloc(32, 7), Buffer.from('abcd'.repeat(8))]) {
        const value = key.toString('base64');
        const problems = problemsOf({ ...PRODUCTION, SECRETS_KEY: value });
        expect(problems).to.have.length(1);
        expect(problems[0]).to.match(/^SECRETS_KEY: does not look random/);
        expect(problems[0]).to.not.contain(value);
      }
    });

    it('refuses a placeholder AMOCRM_CLIENT_SECRET (one character, a word) in production only', () => {
      for (const secret of ['x', 'client-secret']) {
        const problems = problemsOf({ ...PRODUCTION, AMOCRM_CLIENT_SECRET: secret });
        expect(problems).to.have.length(1);
        expect(problems[0]).to.match(/^AMOCRM_CLIENT_SECRET: too short for an integration secret/);
      }
      expect(loadConfig({ AMOCRM_CLIENT_ID: 'id', AMOCRM_CLIENT_SECRET: 'x' }).mode).to.equal('configured');
    });

    it('warns at start that /metrics is refused without METRICS_TOKEN, unless METRICS_PUBLIC=true', () => {
      const { METRICS_TOKEN: _token, ...withoutToken } = PRODUCTION;
      expect(loadConfig(withoutToken).warnings).to.deep.equal([
        '/metrics is refused: set METRICS_TOKEN (scrape with Authorization: Bearer <token>) or METRICS_PUBLIC=true',
      ]);
      expect(loadConfig({ ...withoutToken, METRICS_PUBLIC: 'true' })).to.deep.include({
        warnings: [],
        metrics: { token: undefined, public: true },
      });
      expect(loadConfig(PRODUCTION).metrics).to.deep.equal({ token: 'metrics-token-for-the-scraper', public: false });
    });

    it('lets production listen on any HOST (behind its proxy)', () => {
      expect(loadConfig({ ...PRODUCTION, HOST: '0.0.0.0' }).host).to.equal('0.0.0.0');
    });

    it('refuses AMOCRM_BASE_URL in production (it would redirect every amoCRM call)', () => {
      expect(problemsOf({ ...PRODUCTION, AMOCRM_BASE_URL: 'http://127.0.0.1:4010' })).to.deep.equal([
        'AMOCRM_BASE_URL: must not be set in production (it redirects every amoCRM call)',
      ]);
    });
  });

  describe('amoCRM request budget', () => {
    it(`caps AMOCRM_RPS=20 at ${AMOCRM_MAX_RPS} and says so in a warning`, () => {
      const c = loadConfig({ AMOCRM_RPS: '20' });
      expect(c.amocrm.rps).to.equal(7);
      expect(c.warnings).to.have.length(1);
      expect(c.warnings[0]).to.match(/AMOCRM_RPS=20 is capped at 7/);
    });

    it('keeps 7 and lower as given, without a warning, and defaults to 5', () => {
      expect(loadConfig({ AMOCRM_RPS: '7' })).to.deep.include({ warnings: [] });
      expect(loadConfig({ AMOCRM_RPS: '7' }).amocrm.rps).to.equal(7);
      expect(loadConfig({ AMOCRM_RPS: '1' }).amocrm.rps).to.equal(1);
      expect(loadConfig({}).amocrm.rps).to.equal(5);
    });
  });

  describe('modes and defaults', () => {
    it('runs in local mode with no AMOCRM_CLIENT_ID outside production, with the contract defaults', () => {
      const c = loadConfig({});
      expect(c).to.deep.include({
        mode: 'local',
        port: 3000,
        host: '127.0.0.1',
        publicUrl: 'http://localhost:3000',
        databaseUrl: 'file:./data/dramlink.db',
        logLevel: 'info',
        sandboxEnabled: true,
        secretsKey: undefined,
      });
      expect(c.amocrm).to.deep.include({ redirectUri: 'http://localhost:3000/oauth/callback', batchSize: 50, tokenReplay: 'log' });
      expect(loadConfig({ NODE_ENV: 'development' }).mode).to.equal('local');
      expect(loadConfig({ PORT: '8080' }).publicUrl).to.equal('http://localhost:8080');
    });

    it('is "configured" (not local) once the integration id and secret are set', () => {
      const c = loadConfig({ AMOCRM_CLIENT_ID: 'id', AMOCRM_CLIENT_SECRET: 'secret' });
      expect(c.mode).to.equal('configured');
      expect(c.amocrm).to.deep.include({ clientId: 'id', clientSecret: 'secret' });
    });

    it('refuses an integration id without its secret outside production too', () => {
      expect(problemsOf({ AMOCRM_CLIENT_ID: 'id' })).to.deep.equal([
        'AMOCRM_CLIENT_SECRET: required when AMOCRM_CLIENT_ID is set; expects the integration secret key',
      ]);
    });

    it('lets local mode listen on loopback addresses only, and configured development anywhere', () => {
      for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]']) expect(loadConfig({ HOST: host }).host).to.equal(host);
      expect(loadConfig({ HOST: '0.0.0.0', AMOCRM_CLIENT_ID: 'id', AMOCRM_CLIENT_SECRET: 's' }).mode).to.equal('configured');
    });

    it('reads PROVIDER_ALLOWED_HOSTS as host[:port] entries, lower-cased, IPv6 in brackets', () => {
      const c = loadConfig({ PROVIDER_ALLOWED_HOSTS: ' 127.0.0.1:4010, Bank-Test.example.am ,[::1]:8443,' });
      expect(c.providerAllowedHosts).to.deep.equal([
        { host: '127.0.0.1', port: 4010 },
        { host: 'bank-test.example.am' },
        { host: '::1', port: 8443 },
      ]);
      expect(loadConfig({}).providerAllowedHosts).to.deep.equal([]);
    });

    it('drops a trailing slash from PUBLIC_URL so links do not get a double slash', () => {
      const c = loadConfig({ PUBLIC_URL: 'https://pay.example.am/' });
      expect(c.publicUrl).to.equal('https://pay.example.am');
      expect(c.amocrm.redirectUri).to.equal('https://pay.example.am/oauth/callback');
    });

    it('accepts PORT=0, :memory:, a file: URL, and AMOCRM_TOKEN_REPLAY=log or reject', () => {
      expect(loadConfig({ PORT: '0' }).port).to.equal(0);
      expect(sqlitePath(loadConfig({ DATABASE_URL: ':memory:' }).databaseUrl)).to.equal(':memory:');
      expect(sqlitePath(loadConfig({ DATABASE_URL: 'file:./x/y.db' }).databaseUrl)).to.equal('./x/y.db');
      expect(sqlitePath('file:///var/lib/dramlink.db')).to.equal('/var/lib/dramlink.db');
      expect(loadConfig({ AMOCRM_TOKEN_REPLAY: 'log' }).amocrm.tokenReplay).to.equal('log');
      expect(loadConfig({ AMOCRM_TOKEN_REPLAY: 'reject' }).amocrm.tokenReplay).to.equal('reject');
    });

    it('takes AMOCRM_SERVER_RPS as a whole number of requests per second, unset meaning no server cap', () => {
      expect(loadConfig({}).amocrm.serverRps).to.equal(undefined);
      expect(loadConfig({ AMOCRM_SERVER_RPS: '7' }).amocrm.serverRps).to.equal(7);
      expect(() => loadConfig({ AMOCRM_SERVER_RPS: '0' })).to.throw(/AMOCRM_SERVER_RPS: expects a whole number/);
      expect(() => loadConfig({ AMOCRM_SERVER_RPS: 'fast' })).to.throw(/AMOCRM_SERVER_RPS/);
    });
  });
});
