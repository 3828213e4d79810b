import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { createSyncWorker } from '../../server/sync/worker.ts';
import { maxInWindow } from '../server/amocrm/support/windows.ts';
import {
  drain,
  expectEveryNoteExactlyOnce,
  installAccount,
  jobStates,
  MINUTE,
  newPayment,
  notify,
  openExceptions,
  sandboxBody,
  startFaultApp,
  type FaultApp,
  times,
} from '../support/fault-harness.ts';
import { describeStores } from '../support/stores.ts';

/**
 * Guards against an amoCRM outage losing CRM writes, hammering amoCRM, failing silently, or leaving
 * the CRM out of step afterwards. amoCRM answers 503 to every API call for ten minutes of virtual
 * time (one ManualClock-based clock drives the app, its retries and the emulator), while payment
 * notifications keep arriving over HTTP. The first note request of the outage is even applied
 * before its 503 (a write that hides behind an error).
 */
describeStores('fault: amoCRM answers 503 for ten minutes (fake clock)', function (kind) {
  let f: FaultApp;
  let accountId: number;
  before(async () => {
    f = await startFaultApp({ store: kind });
    accountId = (await installAccount(f)).id;
  });
  after(() => f.close());

  it('loses nothing, raises sync_failing after the configured failures, and is fully in step afterwards', async () => {
    const s = f.t.app.services;
    const { syncJobs, payments, providerEvents } = f.t.db.t;
    // The configured tolerance: an exception after 4 failed tries (back-off 1, 2, 4 minutes between them).
    const MAX_ATTEMPTS = 4;
    const worker = createSyncWorker({
      config: s.config,
      store: s.store,
      clock: s.clock,
      logger: s.logger,
      accounts: s.accounts,
      amocrm: s.amocrm,
      options: { maxAttempts: MAX_ATTEMPTS },
    });
    const [p1, p2, p3, p4] = await times(4, () => newPayment(f, accountId));
    f.emu.clearRequests();

    const t0 = f.clock.now();
    const end = t0 + 10 * MINUTE;
    f.emu.faults.add({ method: 'POST', path: '/api/v4/leads/notes', applyThenFail: true, status: 503 });
    const outage = f.emu.faults.add({ path: /^\/api\/v4\//, status: 503, times: Infinity });

    // Events keep arriving during the outage.
    const events = [
      { at: t0 + 30_000, p: p1, body: sandboxBody('payment.succeeded', p1.attempts[0]) },
      { at: t0 + 2 * MINUTE, p: p2, body: sandboxBody('payment.succeeded', p2.attempts[0]) },
      { at: t0 + 2 * MINUTE, p: p3, body: sandboxBody('payment.failed', p3.attempts[0]) },
      { at: t0 + 4 * MINUTE, p: p1, body: sandboxBody('payment.refunded', p1.attempts[0], { refundedMinor: 40_000 }) },
      { at: t0 + 6 * MINUTE, p: p3, body: sandboxBody('payment.succeeded', p3.attempts[0]) },
      { at: t0 + 8 * MINUTE, p: p4, body: sandboxBody('payment.succeeded', p4.attempts[0]) },
    ];
    let delivered = 0;
    let passes = 0;
    while (f.clock.now() < end) {
      while (delivered < events.length && events[delivered].at <= f.clock.now()) {
        const e = events[delivered];
        const res = await notify(f, accountId, e.body, `msg_outage_${delivered}`);
        expect(res.status, 'a notification is answered whatever amoCRM does').to.equal(200);
        delivered++;
      }
      await worker.runOnce();
      passes++;
      const open = (await f.t.db.select().from(syncJobs)).filter((j) => j.state === 'pending' || j.state === 'failing');
      const next = Math.min(f.clock.now() + 30_000, events[delivered]?.at ?? Infinity, ...open.map((j) => j.nextRunAt));
      f.clock.set(Math.min(end, Math.max(next, f.clock.now() + 1)));
    }
    expect(delivered).to.equal(events.length);

    // Nothing lost: every event is in the ledger and every CRM write still waits in the outbox.
    const status = async (p: typeof p1) => (await f.t.db.select().from(payments).where(eq(payments.id, p.payment.id)))[0].status;
    expect(await Promise.all([p1, p2, p3, p4].map(status))).to.deep.equal(['partially_refunded', 'paid', 'paid', 'paid']);
    expect((await f.t.db.select().from(providerEvents)).filter((r) => r.state === 'applied')).to.have.length(6);
    const states = await jobStates(f, accountId);
    expect(Object.keys(states).sort()).to.deep.equal(['failing', 'pending']);
    expect(states.failing).to.be.greaterThan(0);
    // An exception per lead whose writes failed MAX_ATTEMPTS times, once each, still open.
    const failingLeads = new Set((await f.t.db.select().from(syncJobs)).filter((j) => j.state === 'failing').map((j) => j.leadId));
    const open = await openExceptions(f, accountId, 'sync_failing');
    expect(open.map((x) => x.leadId).sort()).to.deep.equal([...failingLeads].sort());
    const failingAttempts = (await f.t.db.select().from(syncJobs))
      .filter((j) => j.state === 'failing')
      .map((j) => `${j.kind}:${j.attempts}`);
    expect(
      failingAttempts.every((a) => Number(a.split(':')[1]) >= MAX_ATTEMPTS),
      failingAttempts.join(' '),
    ).to.equal(true);
    // amoCRM saw only 503s (and applied one note request before answering it).
    const during = [...f.emu.requests];
    expect(during.every((r) => r.status === 503)).to.equal(true);
    expect(f.emu.notes(accountId)).to.have.length(4); // the four "created" notes of that first request
    // Not hammered: bounded tries with back-off, never above the rate limit.
    expect(maxInWindow(during.map((r) => r.at))).to.be.at.most(7);
    const minutesWithRequests = new Set(during.map((r) => Math.floor((r.at - t0) / MINUTE))).size;

    // amoCRM is back.
    outage.remove();
    const backAt = f.clock.now();
    await drain(f, { worker, accounts: [accountId] });
    const inStepAt = f.clock.now();

    expect(await jobStates(f, accountId)).to.deep.equal({ done: Object.values(await jobStates(f, accountId)).reduce((a, b) => a + b, 0) });
    const notes = await expectEveryNoteExactlyOnce(f, accountId);
    expect(notes).to.equal(4 /* created */ + 4 /* paid */ + 1 /* failed attempt */ + 1 /* refund */);
    for (const p of [p1, p2, p3, p4]) {
      const [row] = await f.t.db.select().from(payments).where(eq(payments.id, p.payment.id));
      expect(f.emu.leadFieldValue(accountId, p.leadId, 'DRAMLINK_STATUS')).to.equal(p === p1 ? 'Partial refund' : 'Paid');
      expect(f.emu.leadFieldValue(accountId, p.leadId, 'DRAMLINK_PAID_AT')).to.equal(Math.floor(row.paidAt! / 1000));
      expect(f.emu.leadFieldValue(accountId, p.leadId, 'DRAMLINK_PROVIDER_REF')).to.equal(row.providerRef);
      expect(f.emu.leadFieldValue(accountId, p.leadId, 'DRAMLINK_AMOUNT')).to.equal('1500');
    }
    expect(await openExceptions(f, accountId, 'sync_failing'), 'exceptions resolved once in step').to.deep.equal([]);
    const all = f.emu.requests;
    expect(all.filter((r) => r.status === 429 || r.status === 403)).to.deep.equal([]);
    expect(maxInWindow(all.map((r) => r.at))).to.be.at.most(7);
    console.log(
      `      outage: ${passes} worker passes, ${during.length} requests (all 503) in ${minutesWithRequests} of 10 minutes; ` +
        `${open.length} sync_failing exceptions; in step ${Math.round((inStepAt - backAt) / 60_000)} min after amoCRM returned, ${all.length - during.length} requests, ${notes} notes once each`,
    );
  });
});
