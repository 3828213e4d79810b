import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { claimJobs } from '../../../server/sync/job-store.ts';
import { noteMarker, renderNoteText } from '../../../server/sync/render/note-text.ts';
import {
  extraStack,
  installWithSandbox,
  jobStates,
  newLeadPayment,
  payPayment,
  startEmulatedApp,
  syncUntilIdle,
  type EmulatedApp,
  storedTokens,
  times,
} from '../amocrm/support/emulated-app.ts';
import { maxInWindow } from '../amocrm/support/windows.ts';
import { describeStores } from '../../support/stores.ts';

const MIN = 60_000;

describeStores('sync worker under amoCRM faults (emulator, virtual clock)', (kind) => {
  let e: EmulatedApp;
  let accountId: number;
  beforeEach(async () => {
    e = await startEmulatedApp({ store: kind });
    accountId = await installWithSandbox(e);
    e.emu.clearRequests();
  });
  afterEach(() => e.close());

  it('rides out a 10-minute outage (503) with nothing lost: an exception after the configured failures, fully in step afterwards', async () => {
    const { exceptions, syncJobs } = e.t.db.t;
    const { worker } = extraStack(e, { worker: { maxAttempts: 4 } });
    const payments = await times(6, () => newLeadPayment(e));
    const outage = e.emu.faults.add({ path: /^\/api\/v4\//, status: 503, times: Infinity });
    const start = e.clock.now();
    for (const p of payments.slice(0, 3)) await payPayment(e, p);
    let passes = 0;
    while (e.clock.now() < start + 10 * MIN) {
      await worker.runOnce();
      passes++;
      // Events keep arriving during the outage.
      if (passes === 2) for (const p of payments.slice(3)) await payPayment(e, p);
      const next = Math.min(...(await e.t.db.select().from(syncJobs)).filter((j) => j.state !== 'done').map((j) => j.nextRunAt));
      e.clock.set(Math.max(next, e.clock.now() + 1000));
    }
    const failing = (await e.t.db.select().from(syncJobs)).filter((j) => j.state === 'failing');
    expect(failing.length).to.be.greaterThan(0);
    const open = await e.t.db.select().from(exceptions).where(eq(exceptions.kind, 'sync_failing'));
    expect(open.length).to.be.greaterThan(0);
    expect(open.every((x) => x.resolvedAt === null)).to.equal(true);
    // Once per account and lead, however many of its jobs fail.
    expect(new Set(open.map((x) => x.leadId)).size).to.equal(open.length);
    expect(e.emu.notes(accountId)).to.have.length(0);

    outage.remove();
    await syncUntilIdle(e, { worker });
    expect(await jobStates(e)).to.deep.equal({ done: 6 + 6 * 2 });
    for (const p of payments) {
      expect(e.emu.leadFieldValue(accountId, p.leadId, 'DRAMLINK_STATUS')).to.equal('Paid');
      expect(e.emu.notes(accountId, p.leadId)).to.have.length(2); // created, paid: once each
    }
    expect(
      (await e.t.db.select().from(exceptions).where(eq(exceptions.kind, 'sync_failing'))).every((x) => x.resolvedAt !== null),
    ).to.equal(true);
    // Never hammered: at most 7 requests in any second, and back-offs between tries.
    expect(e.emu.requests.filter((r) => r.status === 429)).to.deep.equal([]);
    expect(maxInWindow(e.emu.requests.map((r) => r.at))).to.be.at.most(7);
  });

  it('writes a note exactly once after a request that timed out after amoCRM applied it', async () => {
    const { syncJobs } = e.t.db.t;
    const { worker } = extraStack(e, { client: { readTimeoutMs: 200 } });
    const payment = await newLeadPayment(e);
    e.emu.faults.add({ method: 'POST', path: '/api/v4/leads/notes', applyThenFail: true, delayMs: 1_000 });
    await worker.runOnce();
    const note = (await e.t.db.select().from(syncJobs).where(eq(syncJobs.kind, 'note')))[0];
    expect(note.state).to.equal('pending');
    expect(note.lastError).to.contain('amocrm_timeout');
    expect(e.emu.notes(accountId, payment.leadId)).to.have.length(1); // amoCRM has it already

    await syncUntilIdle(e, { worker });
    expect(e.emu.notes(accountId, payment.leadId)).to.have.length(1);
    expect(await jobStates(e)).to.deep.equal({ done: 2 });
    // The retry looked for the marker first (the abandoned POST is not in the emulator's log) and wrote nothing.
    expect(e.emu.requests.filter((r) => r.method === 'POST' && r.path === '/api/v4/leads/notes')).to.have.length(0);
    expect(e.emu.requests.filter((r) => r.method === 'GET' && r.path === '/api/v4/leads/notes')).to.have.length(1);
  });

  it('picks up jobs a dead worker had claimed once their claim expires, without writing a note twice', async () => {
    const payment = await newLeadPayment(e);
    // A worker claims everything, writes the note, and dies before recording it.
    const claimedAt = e.clock.now();
    const claimed = [
      ...(await claimJobs(e.t.app.services.store, { accountId, kind: 'lead_update', limit: 10, now: claimedAt, claimMs: 5 * MIN })),
      ...(await claimJobs(e.t.app.services.store, { accountId, kind: 'note', limit: 10, now: claimedAt, claimMs: 5 * MIN })),
    ];
    expect(claimed).to.have.length(2);
    const note = claimed.find((j) => j.row.kind === 'note')!;
    const payload = JSON.parse(note.row.payload);
    const { eventKey } = payload;
    const text = renderNoteText(payload);
    const token = (await storedTokens(e, accountId)).accessToken;
    const written = await fetch(`${e.emu.url}/api/v4/leads/notes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          entity_id: payment.leadId,
          note_type: 'service_message',
          params: { service: 'dramlink', text: `${text} ${noteMarker(eventKey)}` },
        },
      ]),
    });
    expect(written.status).to.equal(200);
    e.emu.clearRequests();

    // A new worker (the restarted process) leaves them alone while the claim holds…
    await e.t.app.services.syncWorker.runOnce();
    expect(e.emu.requests).to.have.length(0);
    expect(await jobStates(e)).to.deep.equal({ in_flight: 2 });

    // …and takes them once it has expired.
    e.clock.set(claimedAt + 5 * MIN);
    await e.t.app.services.syncWorker.runOnce();
    expect(await jobStates(e)).to.deep.equal({ done: 2 });
    expect(e.emu.leadFieldValue(accountId, payment.leadId, 'DRAMLINK_STATUS')).to.equal('Awaiting payment');
    expect(e.emu.notes(accountId, payment.leadId)).to.have.length(1);
  });

  it('on 403 stops every call for the account, records an exception, and probes again only after 10 minutes', async () => {
    const { accounts, exceptions, syncJobs } = e.t.db.t;
    const payments = await times(4, () => newLeadPayment(e));
    e.emu.blockAccount(accountId);
    await e.t.app.services.syncWorker.runOnce();
    const row = (await e.t.db.select().from(accounts).where(eq(accounts.id, accountId)))[0];
    expect(row.state).to.equal('blocked');
    const blockedAt = e.emu.requests.find((r) => r.status === 403)!.at;
    expect(row.blockedUntil! - blockedAt).to.be.at.least(10 * MIN);
    expect(e.emu.requests.filter((r) => r.status === 403)).to.have.length(1);
    expect(await e.t.db.select().from(exceptions).where(eq(exceptions.kind, 'account_blocked'))).to.have.length(1);
    // Jobs keep their place: no attempt was counted against them.
    expect((await e.t.db.select().from(syncJobs)).every((j) => j.state === 'pending' && j.attempts === 0)).to.equal(true);

    for (const step of [1, 5, 9.9]) {
      e.clock.set(blockedAt + step * MIN);
      await e.t.app.services.syncWorker.runOnce();
    }
    expect(e.emu.requests).to.have.length(1);

    e.emu.unblockAccount(accountId);
    e.clock.set(blockedAt + 10 * MIN);
    await syncUntilIdle(e);
    const after = e.emu.requests.slice(1);
    expect(after[0].at - blockedAt).to.be.at.least(10 * MIN);
    expect((await e.t.db.select().from(accounts))[0].state).to.equal('active');
    expect((await e.t.db.select().from(exceptions).where(eq(exceptions.kind, 'account_blocked')))[0].resolvedAt).to.be.a('number');
    for (const p of payments) expect(e.emu.notes(accountId, p.leadId)).to.have.length(1);
  });
});
