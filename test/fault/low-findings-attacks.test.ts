import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConfigError, loadConfig } from '../../server/config/config.ts';
import { createPayment } from '../../server/payments/create-payment.ts';
import { sandboxAuthHeader } from '../../server/providers/sandbox/api-key.ts';
import { createHttpServer, SERVER_LIMITS } from '../../server/start-server.ts';
import { expectError, startWidgetFixture, type WidgetFixture } from '../server/widget-api/widget-fixture.ts';
import { seedAccount, startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Finding 6 (Low), each as an attack that must fail: slow clients holding connections, weak
 * production settings, the sandbox gateway as an open relay and redirect, account enumeration
 * through the connected page and the webhooks, a world-readable database, open metrics, missing
 * nosniff, and right-to-left overrides disguising a description. (A disposable token living ten
 * years is a row of the token attack matrix: disposable-token-attacks.test.ts.)
 */

/** Seconds until the server closes a socket that sends `head` and then nothing more. */
function secondsUntilClosed(url: string, head: string): Promise<{ seconds: number; answer: string }> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    let answer = '';
    const socket: Socket = connect(Number(port), '127.0.0.1', () => socket.write(head));
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ seconds: (Date.now() - started) / 1000, answer: answer.split('\r\n')[0] }));
  });
}

describe('fault: the low findings (finding 6)', function () {
  this.timeout(60_000);

  describe('slow clients and too many connections', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp();
    });
    after(() => t.close());

    it('cuts off a slow body and slow headers within the request and header timeouts, not after 80 s', async () => {
      const [body, headers] = await Promise.all([
        secondsUntilClosed(
          t.url,
          'POST /webhooks/sandbox/1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 30000\r\n\r\n{"a":',
        ),
        secondsUntilClosed(t.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: '),
      ]);
      console.log(
        `      a stalled body is cut off after ${body.seconds.toFixed(1)} s (${body.answer}), stalled headers after ${headers.seconds.toFixed(1)} s (${headers.answer})`,
      );
      expect(body.seconds).to.be.at.most(SERVER_LIMITS.requestTimeoutMs / 1000 + 2.5);
      expect(headers.seconds).to.be.at.most(SERVER_LIMITS.headersTimeoutMs / 1000 + 2.5);
      expect(body.answer).to.match(/^HTTP\/1.1 408/);
    });

    it(`refuses connections past the cap (${SERVER_LIMITS.maxConnections} in production; 3 here)`, async () => {
      const server = createHttpServer((_req, res) => res.end('ok'), { ...SERVER_LIMITS, maxConnections: 3 });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as AddressInfo).port;
      const sockets = await Promise.all(
        Array.from(
          { length: 5 },
          () =>
            new Promise<{ socket: Socket; closed: Promise<boolean> }>((resolve) => {
              const socket = connect(port, '127.0.0.1');
              const closed = new Promise<boolean>((r) => {
                socket.on('close', () => r(true));
                setTimeout(() => r(false), 500);
              });
              socket.on('error', () => undefined);
              socket.on('connect', () => resolve({ socket, closed }));
            }),
        ),
      );
      const dropped = (await Promise.all(sockets.map((s) => s.closed))).filter(Boolean).length;
      sockets.forEach((s) => s.socket.destroy());
      server.close();
      expect(dropped).to.equal(2);
      expect(createHttpServer(() => undefined).maxConnections).to.equal(1024);
    });
  });

  it('refuses weak production settings: http PUBLIC_URL, an all-zero SECRETS_KEY, a one-character client secret', () => {
    let problems: string[] = [];
    try {
      loadConfig({
        NODE_ENV: 'production',
        PUBLIC_URL: 'http://pay.example.am',
        SECRETS_KEY: Buffer.alloc(32).toString('base64'),
        AMOCRM_CLIENT_ID: 'id',
        AMOCRM_CLIENT_SECRET: 'x',
      });
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    expect(problems.map((p) => p.split(':')[0])).to.deep.equal(['PUBLIC_URL', 'SECRETS_KEY', 'AMOCRM_CLIENT_SECRET']);
  });

  describe('through the real app', () => {
    let f: WidgetFixture;
    before(async () => {
      f = await startWidgetFixture();
    });
    after(() => f.close());

    it('the sandbox gateway neither posts signed notifications to another host nor redirects customers there', async () => {
      const secret = (await f.t.app.services.providers.get(f.accountId, 'sandbox'))!.credentials.webhookSecret as string;
      const create = (notifyUrl: string, returnUrl: string) =>
        fetch(`${f.t.url}/sandbox/api/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...sandboxAuthHeader(secret, f.accountId) },
          body: JSON.stringify({ orderNo: 'x', amountMinor: 100, currency: 'AMD', notifyUrl, returnUrl }),
        }).then(async (r) => ({ status: r.status, code: ((await r.json()) as { error?: { code: string } }).error?.code }));
      expect(await create(`http://169.254.169.254/webhooks/sandbox/${f.accountId}`, `${f.t.url}/r`)).to.deep.equal({
        status: 400,
        code: 'sandbox_foreign_url',
      });
      expect(await create(`${f.t.url}/webhooks/sandbox/${f.accountId}`, 'https://phishing.example/pay')).to.deep.equal({
        status: 400,
        code: 'sandbox_foreign_url',
      });
    });

    it('the connected page names no account for a guessed id', async () => {
      const res = await fetch(`${f.t.url}/oauth/connected?account_id=${f.accountId}`);
      expect(res.status).to.equal(404);
      expect(await res.text()).not.to.contain(f.account.subdomain);
    });

    it('the webhooks answer an account that does not exist exactly as an installed one answers an unknown order', async () => {
      const ask = (id: number) =>
        fetch(`${f.t.url}/webhooks/sandbox/${id}?session=ses_unknown`).then(async (r) => ({ status: r.status, body: await r.text() }));
      expect(await ask(987654321)).to.deep.equal(await ask(f.accountId));
    });

    it('/metrics on the public port is refused without its bearer token', async () => {
      const g = await startTestApp({ env: { METRICS_TOKEN: 'scraper-token-0123456789' } });
      try {
        expect((await fetch(`${g.url}/metrics`)).status).to.equal(401);
      } finally {
        await g.close();
      }
    });

    it('every answer carries nosniff, every page a strict CSP', async () => {
      for (const path of ['/healthz', '/api/v1/exceptions', `/webhooks/sandbox/${f.accountId}`, '/oauth/connected']) {
        const res = await fetch(`${f.t.url}${path}`);
        expect(res.headers.get('x-content-type-options'), path).to.equal('nosniff');
        if (/html/.test(res.headers.get('content-type') ?? ''))
          expect(res.headers.get('content-security-policy'), path).to.contain("default-src 'none'");
      }
    });

    it('a right-to-left override in a description never reaches the pay page', async () => {
      const leadId = f.emu.addLead(f.accountId, { name: 'Order', price: 1000 }).id;
      const res = await f.api('POST', `/leads/${leadId}/payments`, { body: { amountMinor: 100000, description: 'Deposit \u202E009 DMA' } });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body.payment.description).to.equal('Deposit 009 DMA');
      const page = await (await fetch(res.body.payment.link)).text();
      expect(page).not.to.match(/[\u202A-\u202E\u2066-\u2069]/);
      const bad = await f.api('POST', `/leads/${leadId}/payments`, { body: { description: '\u202E\u2066' } });
      expectError(bad, 400, 'invalid_body');
    });
  });

  it('creates the database, its WAL and shared memory 0600', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dramlink-perm-attack-'));
    const t = await startTestApp({ databasePath: join(dir, 'data', 'dramlink.db') });
    try {
      await seedAccount(t);
      await createPayment(t.app.services.ledger, {
        accountId: 1001,
        leadId: 1,
        amountMinor: 100,
        currency: 'AMD',
        providers: ['sandbox'],
        expiresInHours: 1,
        createdBy: 'user:1',
        publicUrl: t.url,
      });
      const files = readdirSync(join(dir, 'data'));
      expect(files).to.include.members(['dramlink.db', 'dramlink.db-wal']);
      for (const file of files) expect((statSync(join(dir, 'data', file)).mode & 0o777).toString(8), file).to.equal('600');
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
