import { expect } from 'chai';
import fc from 'fast-check';
import { sql, type SQL } from 'drizzle-orm';
import { createPayment } from '../../server/payments/create-payment.ts';
import { openAttempt } from '../../server/payments/open-attempt.ts';
import { signStandardWebhook } from '../../server/providers/sandbox/standard-webhooks.ts';
import { seedAccount, startTestApp, type TestApp } from '../support/test-app.ts';

const SECRET = 'whsec_dGVzdC1zZWNyZXQtZm9yLXNhbmRib3g=';
const PROVIDERS = ['sandbox', 'idram', 'arca', 'telcell', 'ameriabank', 'nope', '..%2f', ''];

/** Everything a notification can change, as one string: equal before and after means nothing changed. */
async function snapshot(t: TestApp): Promise<string> {
  const rows = (query: SQL) => t.store.run((tx) => tx.rows(query));
  return JSON.stringify([
    await rows(sql`SELECT id, status, review_reason, paid_at, refunded_amount_minor FROM payments ORDER BY id`),
    await rows(sql`SELECT id, status, provider_payment_id FROM attempts ORDER BY id`),
    await rows(sql`SELECT count(*) AS n FROM audit_entries`),
    await rows(sql`SELECT count(*) AS n FROM sync_jobs`),
    await rows(sql`SELECT count(*) AS n FROM refunds`),
  ]);
}

describe('fault: 10,000 fuzzed notification bodies and headers', function () {
  this.timeout(300_000);
  let t: TestApp;
  let accountId: number;
  let orderNo: string;
  before(async () => {
    t = await startTestApp({ logLevel: 'error' });
    accountId = await seedAccount(t, {
      providers: {
        sandbox: { webhookSecret: SECRET },
        idram: { recAccount: '110000601', secretKey: 'idram-secret' },
        arca: { userName: 'u', password: 'p', checksumKey: 'arca-key' },
        telcell: { shopId: 'shop', shopKey: 'key' },
        ameriabank: { clientId: 'c', username: 'u', password: 'p', testOrderIdFrom: 1, testOrderIdTo: 1000 },
      },
    });
    const p = await createPayment(t.app.services.ledger, {
      accountId,
      leadId: 9,
      amountMinor: 190000,
      currency: 'AMD',
      providers: ['sandbox', 'idram', 'arca', 'telcell'],
      expiresInHours: 72,
      createdBy: 'user:1',
      publicUrl: t.url,
    });
    orderNo = (await openAttempt(t.app.services.ledger, { paymentId: p.id, provider: 'sandbox', orderNo: (c) => `sbx-${c}` }))
      .providerOrderNo;
  });
  after(() => t.close());

  it('never answers 5xx and never changes state for unsigned, forged or garbled notifications', async () => {
    const before = await snapshot(t);
    const nowSec = Math.floor(t.clock.now() / 1000);
    const validBody = JSON.stringify({
      type: 'payment.succeeded',
      data: { sessionId: 's', orderNo, amountMinor: 190000, currency: 'AMD' },
    });
    const bodyArb = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.json({ maxDepth: 3 }),
      fc.constant(validBody),
      fc.constant(validBody.replace('190000', '1')),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
      fc
        .dictionary(
          fc.constantFrom(
            'EDP_PRECHECK',
            'EDP_BILL_NO',
            'EDP_AMOUNT',
            'EDP_CHECKSUM',
            'EDP_TRANS_ID',
            'mdOrder',
            'operation',
            'status',
            'checksum',
            'invoice',
            'sum',
            'orderNumber',
          ),
          fc.string({ maxLength: 20 }),
        )
        .map((d) => new URLSearchParams(d).toString()),
    );
    const headerArb = fc.record(
      {
        'content-type': fc.constantFrom(
          'application/json',
          'application/x-www-form-urlencoded',
          'text/plain',
          'multipart/form-data; boundary=x',
          'application/json; charset=utf-16',
        ),
        'webhook-id': fc.oneof(
          fc.string({ minLength: 1, maxLength: 30 }).filter((s) => /^[\x21-\x7e]+$/.test(s)),
          fc.constant('msg_1'),
        ),
        'webhook-timestamp': fc.oneof(fc.constant(String(nowSec)), fc.integer().map(String), fc.constant('abc')),
        // A real signature over another body, garbage, or several.
        'webhook-signature': fc.oneof(
          fc.constant(signStandardWebhook(SECRET, 'msg_1', nowSec, '{}')),
          fc.constant(signStandardWebhook('whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA==', 'msg_1', nowSec, validBody)),
          fc.string({ maxLength: 80 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
        ),
      },
      { requiredKeys: [] },
    );
    const caseArb = fc.record({
      provider: fc.constantFrom(...PROVIDERS),
      method: fc.constantFrom('GET', 'POST'),
      body: bodyArb,
      headers: headerArb,
      query: fc.string({ maxLength: 60 }),
    });
    const cases = fc.sample(caseArb, { numRuns: 10_000, seed: 20261126 });
    const statuses = new Map<number, number>();
    for (let i = 0; i < cases.length; i += 50) {
      await Promise.all(
        cases.slice(i, i + 50).map(async (c) => {
          const q = encodeURIComponent(c.query).replace(/%3D/g, '=').replace(/%26/g, '&');
          const res = await fetch(`${t.url}/webhooks/${encodeURIComponent(c.provider)}/${accountId}?${q}`, {
            method: c.method,
            headers: c.headers as Record<string, string>,
            body: c.method === 'POST' ? c.body : undefined,
          });
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        }),
      );
    }
    expect(
      [...statuses.keys()].filter((s) => s >= 500),
      `statuses seen: ${JSON.stringify([...statuses])}`,
    ).to.deep.equal([]);
    expect(await snapshot(t)).to.equal(before);
  });
});
