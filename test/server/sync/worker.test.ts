import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { applyProviderFact } from '../../../server/payments/apply-provider-fact.ts';
import { openAttempt } from '../../../server/payments/open-attempt.ts';
import { recordResend } from '../../../server/payments/record-resend.ts';
import {
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

const writes = (e: EmulatedApp) => e.emu.requests.filter((r) => r.method !== 'GET' && r.path.startsWith('/api/v4/'));

describeStores('sync worker against the amoCRM emulator', (kind) => {
  let e: EmulatedApp;
  let accountId: number;
  beforeEach(async () => {
    e = await startEmulatedApp({ store: kind });
    accountId = await installWithSandbox(e);
    e.emu.clearRequests();
  });
  afterEach(() => e.close());

  it('coalesces ten events on one lead into one PATCH item carrying the latest state, with one note per event', async () => {
    const payment = await newLeadPayment(e, { amountMinor: 150050 });
    const { ledger } = e.t.app.services;
    for (let i = 0; i < 8; i++) {
      e.clock.advance(1000);
      await recordResend(ledger, { paymentId: payment.id, accountId, actor: 'user:7', channel: 'chat', link: 'x' });
    }
    e.clock.advance(1000);
    await payPayment(e, payment); // the tenth event
    await e.t.app.services.syncWorker.runOnce();

    const patches = writes(e).filter((r) => r.method === 'PATCH');
    expect(patches).to.have.length(1);
    expect(patches[0].body).to.be.an('array').with.length(1);
    const lead = payment.leadId;
    expect(e.emu.leadFieldValue(accountId, lead, 'DRAMLINK_STATUS')).to.equal('Paid');
    expect(e.emu.leadFieldValue(accountId, lead, 'DRAMLINK_AMOUNT')).to.equal('1500.5');
    expect(e.emu.leadFieldValue(accountId, lead, 'DRAMLINK_CURRENCY')).to.equal('AMD');
    expect(e.emu.leadFieldValue(accountId, lead, 'DRAMLINK_PAID_AT')).to.be.a('number');
    expect(e.emu.leadFieldValue(accountId, lead, 'DRAMLINK_PROVIDER_REF')).to.match(/^sbx-/);
    expect(e.emu.leadFieldValue(accountId, lead, 'DRAMLINK_LINK')).to.equal(`${e.t.config.publicUrl}/pay/${payment.linkToken}`);

    const notes = e.emu.notes(accountId, lead);
    expect(notes).to.have.length(10); // created, 8 × resent, paid
    expect(notes.every((n) => n.note_type === 'service_message' && n.params.service === 'dramlink')).to.equal(true);
    expect(new Set(notes.map((n) => / #dl[0-9a-z]{10}$/.exec(String(n.params.text))?.[0])).size).to.equal(10);
    expect(writes(e).filter((r) => r.path === '/api/v4/leads/notes')).to.have.length(1);
    expect(await jobStates(e)).to.deep.equal({ done: 11 });
  });

  it('moves the lead to the stage the account maps the CRM status to', async () => {
    const { accounts } = e.t.db.t;
    const pipeline = e.emu.getAccount(accountId)!.pipelines[0];
    const target = pipeline.statuses.find((s) => s.id === 142)!;
    await e.t.db
      .update(accounts)
      .set({ settings: JSON.stringify({ stageMapping: { paid: { pipelineId: pipeline.id, statusId: target.id } } }) })
      .where(eq(accounts.id, accountId));
    const payment = await newLeadPayment(e);
    await payPayment(e, payment);
    await e.t.app.services.syncWorker.runOnce();
    expect(e.emu.getLead(accountId, payment.leadId)).to.include({ pipeline_id: pipeline.id, status_id: 142 });
  });

  it('moves the stage only when the CRM status changes, not back after a manager moved the lead on', async () => {
    const { accounts } = e.t.db.t;
    const pipeline = e.emu.getAccount(accountId)!.pipelines[0];
    const [awaitingStage, managerStage] = pipeline.statuses.filter((s) => s.type === 0 && s.id !== 142 && s.id !== 143).slice(1, 3);
    await e.t.db
      .update(accounts)
      .set({ settings: JSON.stringify({ stageMapping: { awaiting_payment: { pipelineId: pipeline.id, statusId: awaitingStage.id } } }) })
      .where(eq(accounts.id, accountId));
    const payment = await newLeadPayment(e);
    await e.t.app.services.syncWorker.runOnce();
    expect(e.emu.getLead(accountId, payment.leadId)!.status_id).to.equal(awaitingStage.id);

    // The manager moves the lead on in amoCRM; a later event that keeps the status does not pull it back.
    const token = (await storedTokens(e, accountId)).accessToken;
    const moved = await fetch(`${e.emu.url}/api/v4/leads/${payment.leadId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status_id: managerStage.id }),
    });
    expect(moved.status).to.equal(200);
    await recordResend(e.t.app.services.ledger, { paymentId: payment.id, accountId, actor: 'user:7', channel: 'sms', link: 'x' });
    await e.t.app.services.syncWorker.runOnce();
    expect(writes(e).filter((r) => r.method === 'PATCH' && r.path === '/api/v4/leads')).to.have.length(2);
    expect(e.emu.getLead(accountId, payment.leadId)!.status_id).to.equal(managerStage.id);
  });

  it('does not mark a lead update done when a newer event arrived while it was being sent', async () => {
    const { accounts, syncJobs } = e.t.db.t;
    const payment = await newLeadPayment(e);
    // The first PATCH is slow; while it is in flight the payment becomes paid.
    e.emu.faults.add({ method: 'PATCH', path: '/api/v4/leads', delayMs: 150 });
    const pass = e.t.app.services.syncWorker.runOnce();
    await new Promise((r) => setTimeout(r, 60));
    await payPayment(e, payment);
    await pass;
    // The first PATCH carried the state read before the payment was paid; the job was not marked
    // done with it, so the newer state went out too (in the same pass).
    const patches = writes(e).filter((r) => r.method === 'PATCH');
    expect(patches).to.have.length(2);
    const enums = JSON.parse((await e.t.db.select().from(accounts))[0].fieldIds).DRAMLINK_STATUS.enums;
    const statusOf = (body: unknown) =>
      (body as Array<{ custom_fields_values: Array<{ values: Array<{ enum_id?: number }> }> }>)[0].custom_fields_values[0].values[0]
        .enum_id;
    expect(patches.map((r) => statusOf(r.body))).to.deep.equal([enums.awaiting_payment, enums.paid]);
    expect(e.emu.leadFieldValue(accountId, payment.leadId, 'DRAMLINK_STATUS')).to.equal('Paid');
    const job = (
      await e.t.db
        .select()
        .from(syncJobs)
        .where(eq(syncJobs.dedupeKey, `lead:${payment.leadId}`))
    )[0];
    expect(job.state).to.equal('done');
  });

  it("splits a batch rejected with 400 down to the bad item, which goes to dead with amoCRM's error while the rest go through", async () => {
    const { exceptions, syncJobs } = e.t.db.t;
    const leads = await times(9, () => newLeadPayment(e));
    const bad = leads[5].leadId;
    e.emu.faults.add({
      method: 'PATCH',
      path: '/api/v4/leads',
      times: Infinity,
      failItem: {
        matcher: (item) => (item as { id: number }).id === bad,
        code: 'NotSupportedChoice',
        path: 'custom_fields_values.0.field_id',
        detail: 'Field is archived',
      },
    });
    await e.t.app.services.syncWorker.runOnce();
    const dead = await e.t.db.select().from(syncJobs).where(eq(syncJobs.state, 'dead'));
    expect(dead.map((j) => j.leadId)).to.deep.equal([bad]);
    expect(dead[0].lastError).to.contain('NotSupportedChoice').and.contain('Field is archived');
    for (const p of leads) {
      if (p.leadId === bad) expect(e.emu.leadFieldValue(accountId, p.leadId, 'DRAMLINK_STATUS')).to.equal(undefined);
      else expect(e.emu.leadFieldValue(accountId, p.leadId, 'DRAMLINK_STATUS'), String(p.leadId)).to.equal('Awaiting payment');
    }
    // log2(9) levels of halving, not one request per item.
    expect(writes(e).filter((r) => r.method === 'PATCH').length).to.be.at.most(9);
    const open = await e.t.db.select().from(exceptions).where(eq(exceptions.kind, 'sync_failing'));
    expect(open.map((x) => x.leadId)).to.deep.equal([bad]);
    expect(await jobStates(e)).to.deep.equal({ done: 17, dead: 1 });
  });

  it('syncs a dead lead update again when a newer event arrives and amoCRM accepts it', async () => {
    const { syncJobs } = e.t.db.t;
    const payment = await newLeadPayment(e);
    const rule = e.emu.faults.add({
      method: 'PATCH',
      path: '/api/v4/leads',
      times: Infinity,
      failItem: {
        matcher: (item) => (item as { id: number }).id === payment.leadId,
        code: 'NotSupportedChoice',
        path: 'custom_fields_values.0.field_id',
        detail: 'Field is archived',
      },
    });
    await e.t.app.services.syncWorker.runOnce();
    const job = async () =>
      (
        await e.t.db
          .select()
          .from(syncJobs)
          .where(eq(syncJobs.dedupeKey, `lead:${payment.leadId}`))
      )[0];
    expect((await job()).state).to.equal('dead');
    rule.remove();
    await payPayment(e, payment);
    await e.t.app.services.syncWorker.runOnce();
    expect((await job()).state).to.equal('done');
    expect(e.emu.leadFieldValue(accountId, payment.leadId, 'DRAMLINK_STATUS')).to.equal('Paid');
  });

  it('retries failing jobs as soon as amoCRM takes a write for the account again, not half an hour later', async () => {
    const { syncJobs } = e.t.db.t;
    const old = await newLeadPayment(e);
    // Make the old lead's jobs failing (as after an outage) with their slow retry far ahead.
    await e.t.db
      .update(syncJobs)
      .set({ state: 'failing', attempts: 8, nextRunAt: e.clock.now() + 30 * 60_000 })
      .where(eq(syncJobs.leadId, old.leadId));
    const fresh = await newLeadPayment(e);
    await e.t.app.services.syncWorker.runOnce(); // the fresh lead's writes succeed: amoCRM is back
    await e.t.app.services.syncWorker.runOnce();
    expect(await jobStates(e)).to.deep.equal({ done: 4 });
    expect(e.emu.leadFieldValue(accountId, old.leadId, 'DRAMLINK_STATUS')).to.equal('Awaiting payment');
    expect(e.emu.leadFieldValue(accountId, fresh.leadId, 'DRAMLINK_STATUS')).to.equal('Awaiting payment');
  });

  it('writes every note exactly once when a note request is applied but answered 5xx', async () => {
    const payments = await times(3, () => newLeadPayment(e));
    e.emu.faults.add({ method: 'POST', path: '/api/v4/leads/notes', applyThenFail: true, status: 502 });
    await e.t.app.services.syncWorker.runOnce();
    expect(await jobStates(e)).to.deep.equal({ done: 3, pending: 3 });
    await syncUntilIdle(e);
    for (const p of payments) expect(e.emu.notes(accountId, p.leadId)).to.have.length(1);
    // The retry looked before it wrote, and did not write again.
    expect(e.emu.requests.filter((r) => r.method === 'GET' && r.path === '/api/v4/leads/notes')).to.have.length(1);
    expect(writes(e).filter((r) => r.path === '/api/v4/leads/notes')).to.have.length(1);
  });

  it('writes a note that a 5xx really lost, once', async () => {
    const p = await newLeadPayment(e);
    e.emu.faults.add({ method: 'POST', path: '/api/v4/leads/notes', status: 503 });
    await e.t.app.services.syncWorker.runOnce();
    expect(e.emu.notes(accountId, p.leadId)).to.have.length(0);
    await syncUntilIdle(e);
    expect(e.emu.notes(accountId, p.leadId)).to.have.length(1);
  });

  it('creates a task only for an exception, once, due in a day, for the installing user', async () => {
    const payment = await newLeadPayment(e);
    const { ledger } = e.t.app.services;
    const attempt = await openAttempt(ledger, { paymentId: payment.id, provider: 'sandbox', orderNo: (n) => `o-${n}` });
    await applyProviderFact(ledger, {
      attemptId: attempt.id,
      actor: 'provider:sandbox',
      fact: { status: 'paid', amountMinor: 1, currency: 'AMD', rawStatus: 'paid' },
    });
    await syncUntilIdle(e);
    const tasks = e.emu.tasks(accountId);
    expect(tasks).to.have.length(1);
    expect(tasks[0]).to.include({
      entity_id: payment.leadId,
      entity_type: 'leads',
      responsible_user_id: e.emu.getAccount(accountId)!.users[0].id,
    });
    expect(tasks[0].complete_till).to.equal(Math.floor(e.clock.now() / 1000) + 86_400);
    expect(e.emu.leadFieldValue(accountId, payment.leadId, 'DRAMLINK_STATUS')).to.equal('Manual review');

    // No task for ordinary events.
    await payPayment(e, await newLeadPayment(e));
    await syncUntilIdle(e);
    expect(e.emu.tasks(accountId)).to.have.length(1);
  });

  it('keeps every account request within 7 in any rolling second and never gets a 429', async () => {
    await e.close();
    e = await startEmulatedApp({ env: { AMOCRM_BATCH_SIZE: '4' }, store: kind });
    accountId = await installWithSandbox(e);
    e.emu.clearRequests();
    const payments = await times(40, () => newLeadPayment(e));
    for (const p of payments) await payPayment(e, p);
    await syncUntilIdle(e);
    const api = e.emu.requests.filter((r) => r.path.startsWith('/api/v4/'));
    expect(api.length).to.equal(10 + 20); // 40 lead updates / 4, 80 notes / 4
    expect(api.filter((r) => r.status === 429)).to.deep.equal([]);
    expect(maxInWindow(api.map((r) => r.at))).to.be.at.most(7);
    for (const p of payments) expect(e.emu.leadFieldValue(accountId, p.leadId, 'DRAMLINK_STATUS')).to.equal('Paid');
  });

  it('leaves jobs of accounts that need reconnect alone and resolves nothing by itself', async () => {
    const { accounts, exceptions, syncJobs } = e.t.db.t;
    await newLeadPayment(e);
    e.emu.revokeTokens(accountId);
    e.emu.expireAccessTokens(accountId);
    await e.t.app.services.syncWorker.runOnce();
    expect((await e.t.db.select().from(accounts))[0].state).to.equal('needs_reconnect');
    expect(await e.t.db.select().from(exceptions).where(eq(exceptions.kind, 'account_needs_reconnect'))).to.have.length(1);
    expect(await jobStates(e)).to.deep.equal({ pending: 2 });
    expect((await e.t.db.select().from(syncJobs)).every((j) => j.attempts === 0)).to.equal(true);
    const before = e.emu.requests.length;
    e.clock.advance(3_600_000);
    await e.t.app.services.syncWorker.runOnce();
    expect(e.emu.requests.length).to.equal(before);
    expect(e.emu.refreshCount(accountId)).to.equal(0);
    expect(
      (
        await e.t.db
          .select()
          .from(exceptions)
          .where(and(eq(exceptions.kind, 'account_needs_reconnect')))
      )[0].resolvedAt,
    ).to.equal(null);
  });
});
