import { expect } from 'chai';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAmocrmEmulator, type AmocrmEmulator, type EmuAccount, type FaultHandle } from '../../scripts/amocrm-emulator/index.ts';
import { writeTokens } from '../../server/amocrm/token-store.ts';
import { createSecretBox } from '../../server/crypto/secret-box.ts';
import { openDatabase } from '../../server/db/database.ts';
import { createSqliteStore } from '../../server/db/sqlite-store.ts';
import { accounts, providerConfigs } from '../../server/db/schema.ts';
import { createPayment } from '../../server/payments/create-payment.ts';
import { openAttempt } from '../../server/payments/open-attempt.ts';
import { FAULT_CLIENT, markerCounts, SANDBOX_SECRET, sandboxWebhookHeaders } from '../support/fault-harness.ts';
import { freePort, killHard, phaseClient, startServerProcess, type ServerProcess } from '../support/fault-server-process.ts';

/**
 * Guards against acknowledging a notification that is not durable, applying one by halves, and
 * writing a CRM note twice (or never) across a crash. The real server runs as a child process on a
 * SQLite file; 1,000 signed sandbox notifications arrive 32 at a time while its sync worker is
 * writing notes to the amoCRM emulator (each note request applied at once and answered 300 ms
 * later); the process is killed with SIGKILL midway, with a note request applied but unanswered.
 * It restarts on the same file six minutes later (its clock moved forward, so the dead process's
 * claims and leases have run out), nothing is resent, the outbox drains; then the notifications
 * that never got an answer are sent again, as a provider would, and everything converges.
 */

const PAYMENTS = 1000;
const CONCURRENCY = 32;
const KILL_AFTER = 500;
const AMOUNT = 150000;
/** The restart happens "six minutes later": past the 5-minute job claim and the 1-minute leases. */
const RESTART_SHIFT_MS = 6 * 60_000;

interface Seeded {
  i: number;
  paymentId: string;
  leadId: number;
  orderNo: string;
  webhookId: string;
  body: string;
}

interface Row {
  id: string;
  status: string;
  paid_at: number | null;
  inbox: number;
  inbox_applied: number;
  paid_audits: number;
  paid_notes: number;
  lead_generation: number | null;
}

describe('fault: kill -9 while 1,000 notifications arrive, then a restart', function () {
  this.timeout(300_000);
  let dir: string;
  let dbPath: string;
  let emu: AmocrmEmulator;
  let account: EmuAccount;
  let port: number;
  let server: ServerProcess | undefined;
  let env: Record<string, string>;
  const seeded: Seeded[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dramlink-kill9-'));
    dbPath = join(dir, 'dramlink.db');
    emu = await startAmocrmEmulator({ ...FAULT_CLIENT, rps: 7, maxRecordedRequests: 100_000 });
    account = emu.addAccount({ subdomain: 'killshop' });
    port = await freePort();
    const secretsKey = randomBytes(32).toString('base64');
    env = {
      DATABASE_URL: `file:${dbPath}`,
      SECRETS_KEY: secretsKey,
      AMOCRM_CLIENT_ID: FAULT_CLIENT.clientId,
      AMOCRM_CLIENT_SECRET: FAULT_CLIENT.clientSecret,
      AMOCRM_REDIRECT_URI: FAULT_CLIENT.redirectUri,
      AMOCRM_BASE_URL: emu.url,
      AMOCRM_RPS: '7',
      LOG_LEVEL: 'warn',
    };

    // The database file before the first start: an installed account with the sandbox provider and
    // 1,000 payments, each with an attempt, through the ledger's own functions.
    const database = openDatabase(dbPath);
    database.sqlite.pragma('synchronous = OFF'); // seeding only; the server opens it with FULL
    const box = createSecretBox(Buffer.from(secretsKey, 'base64'));
    const now = Date.now();
    const pair = emu.issueTokens(account.id);
    database.db
      .insert(accounts)
      .values({
        id: account.id,
        subdomain: account.subdomain,
        baseDomain: 'amocrm.ru',
        state: 'active',
        installedBy: account.users[0].id,
        createdAt: now,
        updatedAt: now,
      })
      .run();
    const store = createSqliteStore(database);
    await store.transaction((tx) =>
      writeTokens(
        tx,
        box,
        account.id,
        { accessToken: pair.access_token, refreshToken: pair.refresh_token, expiresIn: pair.expires_in },
        now,
      ),
    );
    database.db
      .insert(providerConfigs)
      .values({
        accountId: account.id,
        provider: 'sandbox',
        enabled: true,
        mode: 'test',
        credentialsSealed: box.seal(JSON.stringify({ webhookSecret: SANDBOX_SECRET })),
        updatedAt: now,
      })
      .run();
    const ledger = { store, clock: { now: () => Date.now() } };
    for (let i = 0; i < PAYMENTS; i++) {
      const leadId = emu.addLead(account.id, { name: `Order ${i}` }).id;
      const payment = await createPayment(ledger, {
        accountId: account.id,
        leadId,
        amountMinor: AMOUNT,
        currency: 'AMD',
        providers: ['sandbox'],
        expiresInHours: 48,
        createdBy: 'user:1',
        publicUrl: `http://127.0.0.1:${port}`,
      });
      const attempt = await openAttempt(ledger, { paymentId: payment.id, provider: 'sandbox', orderNo: (c) => `sbx-${c}` });
      const webhookId = `msg_kill9_${i}`;
      const body = JSON.stringify({
        type: 'payment.succeeded',
        data: { sessionId: `ses_${i}`, orderNo: attempt.providerOrderNo, amountMinor: AMOUNT, currency: 'AMD' },
      });
      seeded.push({ i, paymentId: payment.id, leadId, orderNo: attempt.providerOrderNo, webhookId, body });
    }
    database.close();
  });

  after(async () => {
    if (server) await killHard(server);
    await emu?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Per payment: everything the notification's transaction writes, read from the file. */
  function ledgerRows(): Map<string, Row> {
    const db = new Database(dbPath, { readonly: true });
    try {
      const rows = db
        .prepare(
          `SELECT p.id, p.status, p.paid_at,
             (SELECT count(*) FROM provider_events e WHERE e.payment_id = p.id) AS inbox,
             (SELECT count(*) FROM provider_events e WHERE e.payment_id = p.id AND e.state = 'applied') AS inbox_applied,
             (SELECT count(*) FROM audit_entries a WHERE a.payment_id = p.id AND a.action = 'paid') AS paid_audits,
             (SELECT count(*) FROM sync_jobs j WHERE j.payment_id = p.id AND j.kind = 'note' AND json_extract(j.payload, '$.event.type') = 'paid') AS paid_notes,
             (SELECT j.generation FROM sync_jobs j WHERE j.lead_id = p.lead_id AND j.kind = 'lead_update') AS lead_generation
           FROM payments p`,
        )
        .all() as Row[];
      return new Map(rows.map((r) => [r.id, r]));
    } finally {
      db.close();
    }
  }

  function noteJobs(): Array<{ key: string; state: string; leadId: number }> {
    const db = new Database(dbPath, { readonly: true });
    try {
      return (
        db.prepare(`SELECT payload, state, lead_id AS leadId FROM sync_jobs WHERE kind = 'note'`).all() as Array<{
          payload: string;
          state: string;
          leadId: number;
        }>
      ).map((r) => ({
        key: (JSON.parse(r.payload) as { eventKey: string }).eventKey,
        state: r.state,
        leadId: r.leadId,
      }));
    } finally {
      db.close();
    }
  }

  function jobCounts(): Record<string, number> {
    const db = new Database(dbPath, { readonly: true });
    try {
      const out: Record<string, number> = {};
      for (const r of db.prepare(`SELECT state, count(*) AS n FROM sync_jobs GROUP BY state`).all() as Array<{ state: string; n: number }>)
        out[r.state] = r.n;
      return out;
    } finally {
      db.close();
    }
  }

  /** Waits (real time) until the running server's outbox has nothing left to do. */
  async function drained(within: number): Promise<void> {
    const deadline = Date.now() + within;
    let quietSince = 0;
    for (;;) {
      const c = jobCounts();
      const open = (c.pending ?? 0) + (c.in_flight ?? 0) + (c.failing ?? 0);
      if (open === 0) {
        quietSince ||= Date.now();
        if (Date.now() - quietSince > 1500) return;
      } else quietSince = 0;
      if (Date.now() > deadline) throw new Error(`the outbox did not drain: ${JSON.stringify(c)}\n${server?.logTail()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Never half: paid ⇔ an applied inbox row ⇔ the paid audit entry ⇔ its note and lead update queued. */
  function expectWholeOrNothing(rows: Map<string, Row>): { applied: Set<string> } {
    const applied = new Set<string>();
    const half: string[] = [];
    for (const s of seeded) {
      const r = rows.get(s.paymentId)!;
      const facts = [
        r.status === 'paid',
        r.inbox === 1 && r.inbox_applied === 1,
        r.paid_audits === 1,
        r.paid_notes === 1,
        r.lead_generation === 1,
      ];
      const none = [r.status === 'awaiting', r.inbox === 0, r.paid_audits === 0, r.paid_notes === 0, r.lead_generation === 0];
      if (facts.every(Boolean)) applied.add(s.paymentId);
      else if (!none.every(Boolean)) half.push(`${s.i}: ${JSON.stringify(r)}`);
    }
    expect(half, 'notifications applied by halves').to.deep.equal([]);
    return { applied };
  }

  /** Every queued note is on its lead exactly once, and the emulator has no other notes. */
  function expectNotesExactlyOnce(): number {
    const jobs = noteJobs();
    const counts = markerCounts(
      emu,
      account.id,
      jobs.map((j) => j.key),
    );
    const wrong = jobs.filter((j) => counts.get(j.key) !== 1).map((j) => `${j.key} (${j.state}) ×${counts.get(j.key) ?? 0}`);
    expect(wrong, 'notes not in amoCRM exactly once').to.deep.equal([]);
    expect(
      [...counts.keys()].filter((k) => !jobs.some((j) => j.key === k)),
      'notes no event queued',
    ).to.deep.equal([]);
    expect(emu.notes(account.id)).to.have.length(jobs.length);
    return jobs.length;
  }

  function expectLeadsInStep(rows: Map<string, Row>): void {
    const off: string[] = [];
    for (const s of seeded) {
      const r = rows.get(s.paymentId)!;
      const status = emu.leadFieldValue(account.id, s.leadId, 'DRAMLINK_STATUS');
      const paidAt = emu.leadFieldValue(account.id, s.leadId, 'DRAMLINK_PAID_AT');
      const want = r.status === 'paid' ? 'Paid' : 'Awaiting payment';
      if (status !== want || (r.status === 'paid' ? paidAt !== Math.floor(r.paid_at! / 1000) : paidAt !== undefined))
        off.push(`${s.i}: ${r.status} but ${String(status)} / ${String(paidAt)}`);
    }
    expect(off, 'leads out of step').to.deep.equal([]);
  }

  async function send(client: Awaited<ReturnType<typeof phaseClient>>, s: Seeded, clockShiftMs: number) {
    const ts = Math.floor((Date.now() + clockShiftMs) / 1000);
    return client.post(`${server!.url}/webhooks/sandbox/${account.id}`, sandboxWebhookHeaders(s.webhookId, ts, s.body), s.body);
  }

  it('keeps every notification it answered, applies none by halves, and writes each note to amoCRM exactly once', async () => {
    // Note requests are applied by amoCRM at once and answered 300 ms later: a kill can fall in between.
    const slowNotes: FaultHandle = emu.faults.add({
      method: 'POST',
      path: '/api/v4/leads/notes',
      applyThenFail: true,
      delayMs: 300,
      times: Infinity,
    });
    const answeredNotes = () => emu.requests.filter((r) => r.method === 'POST' && r.path === '/api/v4/leads/notes').length;
    server = await startServerProcess({ cwd: dir, port, env, logPath: join(dir, 'server.log') });

    // Fire once the worker is writing notes (the 1,000 "link created" ones).
    for (let i = 0; slowNotes.hits === 0; i++) {
      if (i > 600) throw new Error(`the sync worker never wrote a note:\n${server.logTail()}`);
      await new Promise((r) => setTimeout(r, 50));
    }

    const client = phaseClient(CONCURRENCY);
    const outcome: Array<{ status?: number; error?: string; sent: boolean }> = seeded.map(() => ({ sent: false }));
    let answered = 0;
    let killed = false;
    let notesInFlightAtKill = 0;
    let next = 0;
    const lanes = Array.from({ length: CONCURRENCY }, async () => {
      while (!killed && next < seeded.length) {
        const s = seeded[next++];
        outcome[s.i].sent = true;
        try {
          const res = await send(client, s, 0);
          outcome[s.i].status = res.status;
          if (res.status >= 200 && res.status < 300) answered++;
        } catch (err) {
          outcome[s.i].error = (err as Error).message;
        }
        const inFlightNotes = slowNotes.hits - answeredNotes();
        if (!killed && ((answered >= KILL_AFTER && inFlightNotes > 0) || answered >= 900)) {
          killed = true;
          notesInFlightAtKill = inFlightNotes;
          server!.proc.kill('SIGKILL');
        }
      }
    });
    await Promise.all(lanes);
    client.destroy();
    const exit = await server.exited;
    expect(exit.signal).to.equal('SIGKILL');
    slowNotes.remove();

    const ok = seeded.filter((s) => (outcome[s.i].status ?? 0) >= 200 && (outcome[s.i].status ?? 0) < 300);
    const refused = seeded.filter((s) => outcome[s.i].status !== undefined && !ok.includes(s));
    expect(
      refused.map((s) => `${s.i}: ${outcome[s.i].status}`),
      'answers other than 2xx before the kill',
    ).to.deep.equal([]);
    const cutOff = seeded.filter((s) => outcome[s.i].sent && outcome[s.i].status === undefined);
    const neverSent = seeded.filter((s) => !outcome[s.i].sent);
    expect(ok.length + cutOff.length + neverSent.length).to.equal(PAYMENTS);

    // The file as the killed process left it.
    const atKill = ledgerRows();
    const { applied: appliedAtKill } = expectWholeOrNothing(atKill);
    const lost = ok.filter((s) => !appliedAtKill.has(s.paymentId));
    expect(
      lost.map((s) => s.i),
      'answered 2xx but not in the ledger',
    ).to.deep.equal([]);
    const jobsAtKill = jobCounts();
    const notesBeforeRestart = emu.notes(account.id).length;

    // Restart on the same file, six minutes later; nothing is resent.
    server = await startServerProcess({ cwd: dir, port, env, logPath: join(dir, 'server.log'), clockShiftMs: RESTART_SHIFT_MS });
    await drained(120_000);
    const afterRestart = ledgerRows();
    const { applied } = expectWholeOrNothing(afterRestart);
    expect(
      ok.filter((s) => !applied.has(s.paymentId)).map((s) => s.i),
      'answered 2xx but not in the ledger after the restart',
    ).to.deep.equal([]);
    const notesAfterRestart = expectNotesExactlyOnce();
    expectLeadsInStep(afterRestart);

    // The provider redelivers what never got an answer.
    const unanswered = seeded.filter((s) => !ok.includes(s));
    const again = phaseClient(CONCURRENCY);
    const statuses: number[] = [];
    for (let i = 0; i < unanswered.length; i += CONCURRENCY) {
      const results = await Promise.all(unanswered.slice(i, i + CONCURRENCY).map((s) => send(again, s, RESTART_SHIFT_MS)));
      statuses.push(...results.map((r) => r.status));
    }
    again.destroy();
    expect(
      statuses.filter((s) => s !== 200),
      'redeliveries not answered 200',
    ).to.deep.equal([]);
    await drained(120_000);

    const final = ledgerRows();
    const { applied: all } = expectWholeOrNothing(final);
    expect(all.size).to.equal(PAYMENTS);
    expect([...final.values()].every((r) => r.inbox === 1 && r.paid_audits === 1 && r.paid_notes === 1)).to.equal(true);
    const notes = expectNotesExactlyOnce();
    expect(notes).to.equal(2 * PAYMENTS); // "link created" and "paid", once each
    expectLeadsInStep(final);
    const calls = emu.requests;
    expect(calls.filter((r) => r.status === 429 || r.status === 403 || r.status === 401)).to.deep.equal([]);

    console.log(
      `      before the kill: ${ok.length} answered 2xx, ${cutOff.length} cut off in flight, ${neverSent.length} never sent; ` +
        `${appliedAtKill.size} in the ledger at the kill (${appliedAtKill.size - ok.length} applied but unanswered), 0 by halves; ` +
        `outbox at the kill ${JSON.stringify(jobsAtKill)}, ${notesInFlightAtKill} note request(s) applied but unanswered, ${notesBeforeRestart} notes already in amoCRM\n` +
        `      after the restart (nothing resent): ${applied.size} paid, ${notesAfterRestart} notes in amoCRM, each once; ` +
        `after resending the ${unanswered.length} unanswered: ${all.size} paid, ${notes} notes each once, ${calls.length} amoCRM requests, no 401/403/429`,
    );
  });
});
