import { expect } from 'chai';
import { openAttempt } from '../../../server/payments/open-attempt.ts';
import type { Store } from '../../../server/db/store.ts';
import { SANDBOX_SECRET, sandboxWebhookHeaders } from '../../support/fault-harness.ts';
import { openTestStore, POSTGRES_URL } from '../../support/stores.ts';
import { saveProvider } from '../../support/test-app.ts';
import { installWithSandbox, newLeadPayment, startEmulatedApp, syncUntilIdle, type EmulatedApp } from '../amocrm/support/emulated-app.ts';

const describePg = POSTGRES_URL ? describe : describe.skip;
const PAYMENTS = 30;

/**
 * DATABASE_POOL_SIZE may be as small as one connection. Code that holds a pooled connection (a
 * transaction, a group commit) and waits on a second one would hang forever at that size, the
 * classic pool deadlock; so the whole app runs here on one connection while notifications, sync
 * passes and the readiness probe arrive together.
 */
describePg('PostgreSQL with a pool of one connection', function () {
  this.timeout(60_000);
  let store: Store;
  let e: EmulatedApp;
  let accountId: number;

  beforeEach(async () => {
    store = await openTestStore('postgres', { postgres: { poolSize: 1 } });
    e = await startEmulatedApp({ store });
    accountId = await installWithSandbox(e);
    await saveProvider(e.t, accountId, {
      provider: 'sandbox',
      enabled: true,
      mode: 'test',
      credentials: { webhookSecret: SANDBOX_SECRET },
    });
  });
  afterEach(async () => {
    await e.close();
  });

  const notify = async (paymentId: string, i: number) => {
    const attempt = await openAttempt(e.t.app.services.ledger, { paymentId, provider: 'sandbox', orderNo: (n) => `pool-${i}-${n}` });
    const body = JSON.stringify({
      type: 'payment.succeeded',
      data: { sessionId: `ses_pool_${i}`, orderNo: attempt.providerOrderNo, amountMinor: 150000, currency: 'AMD' },
    });
    const id = `msg_pool_${i}`;
    const ts = Math.floor(e.clock.now() / 1000);
    const res = await fetch(`${e.t.url}/webhooks/sandbox/${accountId}`, {
      method: 'POST',
      headers: sandboxWebhookHeaders(id, ts, body),
      body,
    });
    return res.status;
  };

  it('does not deadlock: notifications, sync passes and /readyz at once all finish, and every payment is paid and synced', async () => {
    const payments = await Promise.all(Array.from({ length: PAYMENTS }, () => newLeadPayment(e)));
    const work = Promise.all([
      Promise.all(payments.map((p, i) => notify(p.id, i))),
      Promise.all([1, 2, 3].map(() => e.t.app.services.syncWorker.runOnce())),
      Promise.all([1, 2, 3].map(() => fetch(`${e.t.url}/readyz`).then((r) => r.status))),
    ]);
    let stalled: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
      stalled = setTimeout(() => reject(new Error('stalled for 30 s on one connection: a pooled connection waits on another')), 30_000);
    });
    const [statuses, , ready] = await Promise.race([work, hang]).finally(() => clearTimeout(stalled));
    expect(statuses).to.deep.equal(Array(PAYMENTS).fill(200));
    expect(ready).to.deep.equal([200, 200, 200]);
    await syncUntilIdle(e);
    const { payments: table } = e.t.db.t;
    const rows = await e.t.db.select({ status: table.status }).from(table);
    expect(rows.map((r) => r.status)).to.deep.equal(Array(PAYMENTS).fill('paid'));
    const leads = payments.map((p) => e.emu.leadFieldValue(accountId, p.leadId, 'DRAMLINK_STATUS'));
    expect(leads).to.deep.equal(Array(PAYMENTS).fill('Paid'));
  });
});
