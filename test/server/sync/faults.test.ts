import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { readTokens } from '../../../server/amocrm/token-store.ts';
import { accounts, exceptions, syncJobs } from '../../../server/db/schema.ts';
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
} from '../amocrm/support/emulated-app.ts';
import { maxInWindow } from '../amocrm/support/windows.ts';

const MIN = 60_000;

describe('sync worker under amoCRM faults (emulator, virtual clock)', () => {
  let e: EmulatedApp;
  let accountId: number;
  beforeEach(async () => {
    e = await startEmulatedApp();
    accountId = await installWithSandbox(e);
    e.emu.clearRequests();
  });
  afterEach(() => e.close());

  it('rides out a 10-minute outage (503) with nothing lost: an exception after the configured failures, fully in step afterwards', async () => {
    const { worker } = extraStack(e, { worker: { maxAttempts: 4 } });
    const payments = Array.from({ length: 6 }, () => newLeadPayment(e));
    const outage = e.emu.faults.add({ path: /^\/api\/v4\//, status: 503, times: Infinity });
    const start = e.clock.now();
    payments.slice(0, 3).forEach((p) => payPayment(e, p));
    let passes = 0;
    while (e.clock.now() < start + 10 * MIN) {
      await worker.runOnce();
      passes++;
      // Events keep arriving during the outage.
      if (passes === 2) payments.slice(3).forEach((p) => payPayment(e, p));
      const next = Math.min(
        ...e.t.app.services.db
          .select()
          .from(syncJobs)
          .all()
          .filter((j) => j.state !== 'done')
          .map((j) => j.nextRunAt),
      );
      e.clock.set(Math.max(next, e.clock.now() + 1000));
    }
    const { db } = e.t.app.services;
    const failing = db
      .select()
      .from(syncJobs)
      .all()
      .filter((j) => j.state === 'failing');
    expect(failing.length).to.be.greaterThan(0);
    const open = db.select().from(exceptions).where(eq(exceptions.kind, 'sync_failing')).all();
    expect(open.length).to.be.greaterThan(0);
    expect(open.every((x) => x.resolvedAt === null)).to.equal(true);
    // Once per account and lead, however many of its jobs fail.
    expect(new Set(open.map((x) => x.leadId)).size).to.equal(open.length);
    expect(e.emu.notes(accountId)).to.have.length(0);

    outage.remove();
    await syncUntilIdle(e, { worker });
    expect(jobStates(e)).to.deep.equal({ done: 6 + 6 * 2 });
    for (const p of payments) {
      expect(e.emu.leadFieldValue(accountId, p.leadId, 'DRAMLINK_STATUS')).to.equal('Paid');
      expect(e.emu.notes(accountId, p.leadId)).to.have.length(2); // created, paid: once each
    }
    expect(
      db
        .select()
        .from(exceptions)
        .where(eq(exceptions.kind, 'sync_failing'))
        .all()
        .every((x) => x.resolvedAt !== null),
    ).to.equal(true);
    // Never hammered: at most 7 requests in any second, and back-offs between tries.
    expect(e.emu.requests.filter((r) => r.status === 429)).to.deep.equal([]);
    expect(maxInWindow(e.emu.requests.map((r) => r.at))).to.be.at.most(7);
  });

  it('writes a note exactly once after a request that timed out after amoCRM applied it', async () => {
    const { worker } = extraStack(e, { client: { readTimeoutMs: 200 } });
    const payment = newLeadPayment(e);
    e.emu.faults.add({ method: 'POST', path: '/api/v4/leads/notes', applyThenFail: true, delayMs: 1_000 });
    await worker.runOnce();
    const note = e.t.app.services.db.select().from(syncJobs).where(eq(syncJobs.kind, 'note')).get()!;
    expect(note.state).to.equal('pending');
    expect(note.lastError).to.contain('amocrm_timeout');
    expect(e.emu.notes(accountId, payment.leadId)).to.have.length(1); // amoCRM has it already

    await syncUntilIdle(e, { worker });
    expect(e.emu.notes(accountId, payment.leadId)).to.have.length(1);
    expect(jobStates(e)).to.deep.equal({ done: 2 });
    // The retry looked for the marker first (the abandoned POST is not in the emulator's log) and wrote nothing.
    expect(e.emu.requests.filter((r) => r.method === 'POST' && r.path === '/api/v4/leads/notes')).to.have.length(0);
    expect(e.emu.requests.filter((r) => r.method === 'GET' && r.path === '/api/v4/leads/notes')).to.have.length(1);
  });

  it('picks up jobs a dead worker had claimed once their claim expires, without writing a note twice', async () => {
    const payment = newLeadPayment(e);
    const { db, secretBox } = e.t.app.services;
    // A worker claims everything, writes the note, and dies before recording it.
    const claimedAt = e.clock.now();
    const claimed = [
      ...claimJobs(db, { accountId, kind: 'lead_update', limit: 10, now: claimedAt, claimMs: 5 * MIN }),
      ...claimJobs(db, { accountId, kind: 'note', limit: 10, now: claimedAt, claimMs: 5 * MIN }),
    ];
    expect(claimed).to.have.length(2);
    const note = claimed.find((j) => j.row.kind === 'note')!;
    const payload = JSON.parse(note.row.payload);
    const { eventKey } = payload;
    const text = renderNoteText(payload);
    const token = readTokens(db, secretBox, accountId)!.accessToken;
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
    expect(jobStates(e)).to.deep.equal({ in_flight: 2 });

    // …and takes them once it has expired.
    e.clock.set(claimedAt + 5 * MIN);
    await e.t.app.services.syncWorker.runOnce();
    expect(jobStates(e)).to.deep.equal({ done: 2 });
    expect(e.emu.leadFieldValue(accountId, payment.leadId, 'DRAMLINK_STATUS')).to.equal('Awaiting payment');
    expect(e.emu.notes(accountId, payment.leadId)).to.have.length(1);
  });

  it('on 403 stops every call for the account, records an exception, and probes again only after 10 minutes', async () => {
    const payments = Array.from({ length: 4 }, () => newLeadPayment(e));
    e.emu.blockAccount(accountId);
    await e.t.app.services.syncWorker.runOnce();
    const { db } = e.t.app.services;
    const row = db.select().from(accounts).where(eq(accounts.id, accountId)).get()!;
    expect(row.state).to.equal('blocked');
    const blockedAt = e.emu.requests.find((r) => r.status === 403)!.at;
    expect(row.blockedUntil! - blockedAt).to.be.at.least(10 * MIN);
    expect(e.emu.requests.filter((r) => r.status === 403)).to.have.length(1);
    expect(db.select().from(exceptions).where(eq(exceptions.kind, 'account_blocked')).all()).to.have.length(1);
    // Jobs keep their place: no attempt was counted against them.
    expect(
      db
        .select()
        .from(syncJobs)
        .all()
        .every((j) => j.state === 'pending' && j.attempts === 0),
    ).to.equal(true);

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
    expect(db.select().from(accounts).get()!.state).to.equal('active');
    expect(db.select().from(exceptions).where(eq(exceptions.kind, 'account_blocked')).get()!.resolvedAt).to.be.a('number');
    for (const p of payments) expect(e.emu.notes(accountId, p.leadId)).to.have.length(1);
  });
});
