import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { providerEvents } from '../../server/db/schema.ts';
import { UNVERIFIED_RAW_LIMIT } from '../../server/webhooks/store-inbound.ts';
import { createInboxRetention } from '../../server/webhooks/inbox-retention.ts';
import { WEBHOOK_BUDGET } from '../../server/http/stranger-limits.ts';
import { createPayment } from '../../server/payments/create-payment.ts';
import { openAttempt, recordSessionCreated } from '../../server/payments/open-attempt.ts';
import { ManualClock } from '../../server/platform/clock.ts';
import { seedAccount, startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Finding 3 (Medium), as attacks that must fail: strangers filling the disk through the
 * unauthenticated webhooks. Before: every unsigned request was stored whole (GET bodies and the
 * User-Agent too), several dedupe keys held the receive time so every copy was a new row, about
 * 4 MB/s from one client, each with a warning line, kept forever. Now: at most 2 KB of anything
 * unverified, nothing for a browser return, dedupe keys without the time, a budget per client and
 * per account (429, no row, one log line per window), and unverified rows deleted after 30 days.
 */

/** Time as it passes: the budgets' windows roll as they do in production. */
class WallClock extends ManualClock {
  override now(): number {
    return Date.now();
  }
}

const ARCA_TEST = 'https://ipaytest.arca.am:8445';
const MD_ORDER = '61c3e5a0-8f2b-7a1c-9d4e-0b5f3a2e1c70';
const PAD = 30 * 1024;

function send(agent: Agent, url: string, method: 'GET' | 'POST', body: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: { 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function dbBytes(path: string): number {
  return [path, `${path}-wal`].reduce((sum, f) => {
    try {
      return sum + statSync(f).size;
    } catch {
      return sum;
    }
  }, 0);
}

describe('fault: strangers filling the disk through the webhooks (finding 3)', function () {
  this.timeout(120_000);
  let dir: string;
  let t: TestApp;
  let accountId: number;
  let statusQueries = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dramlink-fill-'));
    t = await startTestApp({ clock: new WallClock(), databasePath: join(dir, 'dramlink.db'), logLevel: 'info' });
    accountId = await seedAccount(t, {
      providers: { arca: { userName: 'u', password: 'p' }, sandbox: { webhookSecret: 'whsec_dGVzdC1zZWNyZXQtZm9yLXNhbmRib3g=' } },
    });
    const p = await createPayment(t.app.services.ledger, {
      accountId,
      leadId: 1,
      amountMinor: 5000,
      currency: 'AMD',
      providers: ['arca'],
      expiresInHours: 24,
      createdBy: 'user:1',
      publicUrl: t.url,
    });
    const a = await openAttempt(t.app.services.ledger, { paymentId: p.id, provider: 'arca', orderNo: (c) => `drl${c}` });
    await recordSessionCreated(t.app.services.ledger, {
      attemptId: a.id,
      providerPaymentId: MD_ORDER,
      redirect: { method: 'GET', url: 'https://x' },
      sessionExpiresAt: Date.now() + 1_200_000,
    });
    nock(ARCA_TEST)
      .persist()
      .post('/payment/rest/getOrderStatusExtended.do')
      .reply(() => {
        statusQueries++;
        return [200, { errorCode: '0', orderStatus: 0, orderNumber: 'drl1', amount: 5000, currency: '051' }];
      });
  });
  after(async () => {
    nock.cleanAll();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('grows the database by at most a few MB over 20 s of unsigned 30 KB requests from one client', async () => {
    const { sqlite } = t.database;
    const path = join(dir, 'dramlink.db');
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const before = dbBytes(path);
    const logsBefore = t.logs().length;
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const pad = () => `&pad=${'x'.repeat(PAD)}`;
    const attacks: Array<() => Promise<number>> = [
      // An unsigned "deposited" for an order we do not have (a new mdOrder each time).
      () =>
        send(
          agent,
          `${t.url}/webhooks/arca/${accountId}`,
          'POST',
          `mdOrder=${randomBytes(8).toString('hex')}&orderNumber=x&operation=deposited&status=1${pad()}`,
          {
            'content-type': 'application/x-www-form-urlencoded',
          },
        ),
      // An unsigned claim about our real order: stored once (bounded), a status query decides (rationed).
      () =>
        send(
          agent,
          `${t.url}/webhooks/arca/${accountId}`,
          'POST',
          `mdOrder=${MD_ORDER}&orderNumber=drl1&operation=deposited&status=1${pad()}`,
          {
            'content-type': 'application/x-www-form-urlencoded',
          },
        ),
      // A browser "return" as a GET with a 30 KB body.
      () => send(agent, `${t.url}/webhooks/sandbox/${accountId}?session=ses_${randomBytes(6).toString('hex')}`, 'GET', 'x'.repeat(PAD)),
      // An account that does not exist, and a forged signature.
      () => send(agent, `${t.url}/webhooks/sandbox/987654`, 'POST', 'x'.repeat(PAD), { 'content-type': 'application/json' }),
      () =>
        send(agent, `${t.url}/webhooks/sandbox/${accountId}`, 'POST', JSON.stringify({ type: 'payment.succeeded', pad: 'x'.repeat(PAD) }), {
          'content-type': 'application/json',
          'webhook-id': `msg_${randomBytes(4).toString('hex')}`,
          'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
          'webhook-signature': 'v1,AAAA',
        }),
    ];
    const statuses: Record<number, number> = {};
    let sent = 0;
    const started = Date.now();
    const worker = async () => {
      while (Date.now() - started < 20_000) {
        const status = await attacks[sent++ % attacks.length]();
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    agent.destroy();
    const seconds = (Date.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 100));
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const grown = dbBytes(path) - before;
    const rows = t.db.select().from(providerEvents).all();
    const unverified = rows.filter((r) => !r.authenticated);
    const warnings = t
      .logs()
      .slice(logsBefore)
      .filter((l) => l.includes('"level":"warn"'));
    const windows = Math.ceil(seconds / (WEBHOOK_BUDGET.windowMs / 1000)) + 1;

    console.log(
      `      ${sent} requests of ~30 KB in ${seconds.toFixed(1)} s from one client (${((sent * PAD) / 1e6 / seconds).toFixed(1)} MB/s offered); answers ${JSON.stringify(statuses)}\n` +
        `      stored: ${unverified.length} unverified row(s) (largest raw ${Math.max(0, ...unverified.map((r) => r.raw.length))} chars), ${rows.length - unverified.length} status-query row(s); ${statusQueries} status quer(ies) to the bank; ${warnings.length} warning line(s)\n` +
        `      database growth: ${(grown / 1024).toFixed(0)} KB for ${((sent * PAD) / 1e6).toFixed(0)} MB sent (before: every unsigned request stored whole)`,
    );
    expect(statuses[429], 'the budget answered 429').to.be.greaterThan(0);
    expect(unverified.length, 'rows within the per-client budget').to.be.at.most(WEBHOOK_BUDGET.perIp * windows);
    for (const r of unverified) expect(r.raw.length).to.be.at.most(UNVERIFIED_RAW_LIMIT);
    expect(
      rows.filter((r) => r.kind === 'return'),
      'no browser return is stored',
    ).to.have.length(0);
    expect(grown, 'database growth in bytes').to.be.below(3 * 1024 * 1024);
    expect(statusQueries, 'the bank was asked at most once per 15 s').to.be.at.most(Math.ceil(seconds / 15) + 1);
    expect(warnings.length, 'log lines bounded by the budget, not by the requests').to.be.at.most(WEBHOOK_BUDGET.perIp * windows + windows);
  });

  it('deletes what strangers left after 30 days, keeping the verified answers', async () => {
    const retention = createInboxRetention({
      store: t.store,
      clock: new ManualClock(Date.now() + 31 * 86_400_000),
      logger: t.app.services.logger,
    });
    const verifiedBefore = t.db
      .select()
      .from(providerEvents)
      .all()
      .filter((r) => r.authenticated).length;
    await retention.runOnce();
    const left = t.db.select().from(providerEvents).all();
    expect(left.filter((r) => !r.authenticated)).to.have.length(0);
    expect(left.filter((r) => r.authenticated)).to.have.length(verifiedBefore);
  });

  it('keeps one budget per account across many client addresses (behind the proxy, X-Forwarded-For)', async () => {
    const prod = await startTestApp({
      clock: new WallClock(),
      env: {
        NODE_ENV: 'production',
        PUBLIC_URL: 'https://pay.example.am',
        AMOCRM_CLIENT_SECRET: 'prod-like-integration-secret-0123456789abcdefghijklmnopqrstuvwxyz',
        METRICS_PUBLIC: 'true',
      },
    });
    try {
      const id = await seedAccount(prod, { providers: { arca: { userName: 'u', password: 'p' } } });
      const agent = new Agent({ keepAlive: true, maxSockets: 8 });
      const statuses: number[] = [];
      const total = WEBHOOK_BUDGET.perAccount + 200;
      for (let i = 0; i < total; i += 8) {
        statuses.push(
          ...(await Promise.all(
            Array.from({ length: 8 }, (_, k) =>
              send(
                agent,
                `${prod.url}/webhooks/arca/${id}`,
                'POST',
                `mdOrder=${randomBytes(8).toString('hex')}&operation=deposited&status=1`,
                {
                  'content-type': 'application/x-www-form-urlencoded',
                  'x-forwarded-for': `198.51.${(i + k) >> 8}.${(i + k) & 255}`,
                },
              ),
            ),
          )),
        );
      }
      agent.destroy();
      const rows = prod.db.select().from(providerEvents).all().length;
      console.log(
        `      ${statuses.length} unsigned requests from ${statuses.length} addresses to one account: ${rows} stored, ${statuses.filter((s) => s === 429).length} answered 429`,
      );
      expect(rows).to.be.at.most(WEBHOOK_BUDGET.perAccount * 2);
      expect(statuses.filter((s) => s === 429).length).to.be.greaterThan(0);
    } finally {
      await prod.close();
    }
  });
});
