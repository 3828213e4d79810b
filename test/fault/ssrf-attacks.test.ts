import { expect } from 'chai';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type LookupFunction, type Server } from 'node:net';
import nock from 'nock';
import { createPayment } from '../../server/payments/create-payment.ts';
import { openAttempt, recordSessionCreated } from '../../server/payments/open-attempt.ts';
import { providerConfigs } from '../../server/db/schema.ts';
import { startWidgetFixture, type WidgetFixture } from '../server/widget-api/widget-fixture.ts';
import { allowOnlyLoopback } from '../support/net-guard.ts';

/**
 * Finding 2 (High), as attacks that must fail: an admin (or whoever steals an admin token) points a
 * provider's baseUrl at something inside our network and lets the server call it with the
 * provider password, then reads the answer through "Check status". Every row of the SSRF table is
 * refused before a byte leaves, the resolved address is checked at connect time (a DNS name that
 * resolves to 127.0.0.1, with the resolver injected: no real DNS), redirects are not followed, and
 * no provider text comes back to the widget or the customer. A trap on loopback counts every
 * connection that would have reached it: it must stay at zero.
 */

/** The official ArCa host, resolved by the injected lookup to loopback (DNS rebinding without DNS). */
const REBOUND_HOST = 'ipay.arca.am';
const toLoopback = ((_host: string, _opts: unknown, cb: (err: null, addresses: Array<{ address: string; family: number }>) => void) =>
  cb(null, [{ address: '127.0.0.1', family: 4 }])) as unknown as LookupFunction;

describe('fault: SSRF through a provider baseUrl (finding 2)', async function () {
  this.timeout(60_000);
  let f: WidgetFixture;
  let trap: Server;
  let trapPort: number;
  let connections = 0;
  const table: string[] = [];

  before(async () => {
    trap = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((r) => trap.listen(0, '127.0.0.1', r));
    trapPort = (trap.address() as AddressInfo).port;
    allowOnlyLoopback([REBOUND_HOST]);
    f = await startWidgetFixture({ lookup: toLoopback });
  });
  after(async () => {
    allowOnlyLoopback();
    nock.cleanAll();
    await f.close();
    trap.close();
    console.log(`      the SSRF table (attack → answer):\n${table.map((l) => `        ${l}`).join('\n')}`);
  });

  const saveArca = (baseUrl: string) =>
    f.api('PUT', '/settings', {
      admin: true,
      body: { providers: { arca: { enabled: true, mode: 'live', baseUrl, userName: 'shop_api', password: 'arca-password-123' } } },
    });

  /** A payment with a pending ArCa attempt, as if the customer had opened the bank's page. */
  async function pendingArca(): Promise<string> {
    const { ledger } = f.t.app.services;
    const p = await createPayment(ledger, {
      accountId: f.accountId,
      leadId: 9,
      amountMinor: 5000,
      currency: 'AMD',
      providers: ['arca'],
      expiresInHours: 24,
      createdBy: 'user:1',
      publicUrl: f.t.url,
    });
    const a = await openAttempt(ledger, { paymentId: p.id, provider: 'arca', orderNo: (c) => `drl${c}x${Date.now()}` });
    await recordSessionCreated(ledger, {
      attemptId: a.id,
      providerPaymentId: '61c3e5a0-8f2b-7a1c-9d4e-0b5f3a2e1c70',
      redirect: { method: 'GET', url: 'https://x' },
      sessionExpiresAt: f.t.clock.now() + 1_200_000,
    });
    return p.id;
  }

  /** Writes the row as an old version of the server would have (no check at save time). */
  function storeArcaUnchecked(baseUrl: string | null): void {
    const { db } = f.t;
    const { secretBox } = f.t.app.services;
    const values = {
      enabled: true,
      mode: 'live' as const,
      baseUrl,
      credentialsSealed: secretBox.seal(JSON.stringify({ userName: 'shop_api', password: 'arca-password-123' })),
      updatedAt: f.t.clock.now(),
    };
    db.insert(providerConfigs)
      .values({ accountId: f.accountId, provider: 'arca', ...values })
      .onConflictDoUpdate({ target: [providerConfigs.accountId, providerConfigs.provider], set: values })
      .run();
  }

  async function refresh(): Promise<{ status: number; code?: string; failure?: string; text: string }> {
    f.t.clock.advance(16_000); // past the status-query ration of the previous row
    const res = await f.api('POST', `/payments/${await pendingArca()}/refresh`);
    return {
      status: res.status,
      code: res.body?.error?.code,
      failure: res.body?.error?.details?.failures?.[0]?.code,
      text: JSON.stringify(res.body),
    };
  }

  it('refuses every internal target as a baseUrl when an admin saves it, before anything is called', async () => {
    const rows: Array<[string, string]> = [
      ['loopback with a fragment eating our path', `http://127.0.0.1:${trapPort}/internal#`],
      ['10/8', 'https://10.0.0.5/payment/rest'],
      ['192.168/16 on a port (port scan)', 'https://192.168.1.1:22/payment/rest'],
      ['cloud metadata 169.254.169.254', 'https://169.254.169.254/latest/meta-data#'],
      ['IPv6 loopback [::1]', `https://[::1]:${trapPort}/payment/rest`],
      ['a decimal IPv4 (2130706433)', `http://2130706433:${trapPort}/payment/rest`],
      ['localhost', `https://localhost:${trapPort}/payment/rest`],
      ['userinfo', 'https://user:pw@ipay.arca.am/payment/rest'],
      ['userinfo hiding the real host', 'https://ipay.arca.am@169.254.169.254/payment/rest'],
      ['a fragment on the official host', 'https://ipay.arca.am/payment/rest#'],
      ['a query on the official host', 'https://ipay.arca.am/payment/rest?x=/'],
      ['plain http to the official host', 'http://ipay.arca.am/payment/rest'],
    ];
    for (const [what, baseUrl] of rows) {
      const res = await saveArca(baseUrl);
      const issue = res.body?.error?.details?.fields?.find((i: { field: string }) => i.field === 'providers.arca.baseUrl');
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).to.equal(400);
      expect(issue?.code, what).to.equal('base_url_not_allowed');
      expect(await f.t.app.services.providers.get(f.accountId, 'arca'), `${what}: stored`).to.equal(undefined);
      table.push(`baseUrl ${baseUrl} (${what}) → PUT /settings 400 base_url_not_allowed, nothing stored`);
    }
    expect(connections).to.equal(0);
  });

  it('checks the address at connect time: an official host name that resolves to 127.0.0.1 is refused, the password never sent', async () => {
    const res = await saveArca(`https://${REBOUND_HOST}:${trapPort}/payment/rest`);
    expect(res.status, 'the official host passes the save').to.equal(200);
    const answer = await refresh();
    expect(answer.status).to.equal(502);
    expect(answer.code).to.equal('status_query_failed');
    expect(answer.failure).to.equal('arca_host_not_allowed');
    expect(connections, 'the trap on 127.0.0.1 was never reached').to.equal(0);
    table.push(
      `${REBOUND_HOST} resolving to 127.0.0.1 (injected lookup) → refresh 502 status_query_failed / arca_host_not_allowed, 0 connections`,
    );
  });

  it('never calls a dangerous baseUrl stored before these rules (loopback, metadata): a stable code, no connection', async () => {
    for (const baseUrl of [`http://127.0.0.1:${trapPort}/internal#`, 'https://169.254.169.254/latest#']) {
      storeArcaUnchecked(baseUrl);
      const answer = await refresh();
      expect([answer.status, answer.failure], baseUrl).to.deep.equal([502, 'arca_host_not_allowed']);
      table.push(`stored baseUrl ${baseUrl} (from before) → refresh 502 arca_host_not_allowed, not called`);
    }
    expect(connections).to.equal(0);
  });

  it('does not follow a redirect to the metadata address, and answers a stable code', async () => {
    storeArcaUnchecked(null);
    nock('https://ipay.arca.am')
      .post('/payment/rest/getOrderStatusExtended.do')
      .reply(302, '', { Location: `http://127.0.0.1:${trapPort}/latest/meta-data/iam/security-credentials/` });
    const answer = await refresh();
    expect([answer.status, answer.failure]).to.deep.equal([502, 'arca_bad_response']);
    expect(answer.text).not.to.contain('meta-data');
    expect(connections).to.equal(0);
    table.push('provider answers 302 → http://127.0.0.1/latest/meta-data → refresh 502 arca_bad_response, redirect not followed');
  });

  it('lets no provider text reach the widget or the customer: it is logged, the answer is a stable code', async () => {
    storeArcaUnchecked(null);
    const marker = 'INTERNAL-PAGE-7f3a root:x:0:0 <script>';
    nock('https://ipay.arca.am').post('/payment/rest/getOrderStatusExtended.do').reply(500, `<html>${marker}</html>`);
    const answer = await refresh();
    expect([answer.status, answer.failure]).to.deep.equal([502, 'arca_bad_response']);
    expect(answer.text).not.to.contain('INTERNAL-PAGE');

    // The customer's side: a refused session shows the pay page's own words.
    const p = await createPayment(f.t.app.services.ledger, {
      accountId: f.accountId,
      leadId: 10,
      amountMinor: 5000,
      currency: 'AMD',
      providers: ['arca'],
      expiresInHours: 24,
      createdBy: 'user:1',
      publicUrl: f.t.url,
    });
    nock('https://ipay.arca.am').post('/payment/rest/register.do').reply(200, { errorCode: '5', errorMessage: marker });
    const page = await fetch(`${f.t.url}/pay/${p.linkToken}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'provider=arca',
    });
    expect(page.status).to.equal(502);
    expect(await page.text()).not.to.contain('INTERNAL-PAGE');
    await new Promise((r) => setTimeout(r, 50));
    expect(f.t.logs().join('\n'), 'what the provider said is in the log').to.contain('INTERNAL-PAGE-7f3a');
    table.push('provider error body with internal text → widget 502 arca_bad_response, customer 502 page: no provider text; logged');
  });

  it('still calls a host the operator listed in PROVIDER_ALLOWED_HOSTS, over http on loopback (tests, staging)', async () => {
    const bank: HttpServer = createHttpServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ errorCode: '0', orderStatus: 0, orderNumber: 'x', amount: 5000, currency: '051' }));
    });
    await new Promise<void>((r) => bank.listen(0, '127.0.0.1', r));
    const port = (bank.address() as AddressInfo).port;
    const g = await startWidgetFixture({ env: { PROVIDER_ALLOWED_HOSTS: `127.0.0.1:${port}` } });
    try {
      const saved = await g.api('PUT', '/settings', {
        admin: true,
        body: {
          providers: {
            arca: { enabled: true, mode: 'test', baseUrl: `http://127.0.0.1:${port}/payment/rest`, userName: 'u', password: 'p' },
          },
        },
      });
      expect(saved.status, JSON.stringify(saved.body)).to.equal(200);
      const other = await g.api('PUT', '/settings', {
        admin: true,
        body: {
          providers: {
            arca: { enabled: true, mode: 'test', baseUrl: `http://127.0.0.1:${port + 1}/payment/rest`, userName: 'u', password: 'p' },
          },
        },
      });
      expect(other.status, 'another port of the listed host is not listed').to.equal(400);
    } finally {
      await g.close();
      bank.close();
    }
    table.push(`PROVIDER_ALLOWED_HOSTS=127.0.0.1:<port> → http://127.0.0.1:<port> accepted; <port+1> refused`);
  });
});
