import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import {
  drain,
  expectEveryNoteExactlyOnce,
  installAccount,
  newPayment,
  noteJobKeys,
  sandboxWebhookHeaders,
  sandboxBody,
  startFaultApp,
  type FaultApp,
} from '../support/fault-harness.ts';
import { describeStores } from '../support/stores.ts';

/**
 * Guards against a provider's redelivery storm turning into double transitions or double notes:
 * twenty copies of one notification arrive at once over HTTP, through the real app (group commit,
 * inbox dedupe), then the sync worker drains into the amoCRM emulator.
 */
describeStores('fault: twenty concurrent copies of one notification', function (kind) {
  let f: FaultApp;
  let accountId: number;
  before(async () => {
    f = await startFaultApp({ store: kind });
    accountId = (await installAccount(f)).id;
  });
  after(() => f.close());

  const paidAudits = (paymentId: string) => {
    const { auditEntries } = f.t.db.t;
    return f.t.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.paymentId, paymentId), eq(auditEntries.action, 'paid')));
  };
  const paidNotes = async (paymentId: string) =>
    (await noteJobKeys(f, accountId, paymentId)).filter((n) => n.text.startsWith('The customer paid '));

  async function storm(copies: Array<{ id: string; ts: number; body: string }>): Promise<number[]> {
    const replies = await Promise.all(
      copies.map(({ id, ts, body }) =>
        fetch(`${f.t.url}/webhooks/sandbox/${accountId}`, {
          method: 'POST',
          headers: sandboxWebhookHeaders(id, ts, body),
          body,
        }).then(async (r) => (await r.arrayBuffer(), r.status)),
      ),
    );
    return replies;
  }

  it('same webhook-id twenty times: every copy answered 200, one inbox row, one transition, one note queued, one note on the lead', async () => {
    const { payments, providerEvents, syncJobs } = f.t.db.t;
    const { payment, attempts, leadId } = await newPayment(f, accountId);
    const body = sandboxBody('payment.succeeded', attempts[0]);
    const ts = Math.floor(f.clock.now() / 1000);
    const statuses = await storm(Array.from({ length: 20 }, () => ({ id: 'msg_storm_1', ts, body })));
    expect(statuses).to.deep.equal(Array(20).fill(200));

    expect((await f.t.db.select().from(payments).where(eq(payments.id, payment.id)))[0].status).to.equal('paid');
    expect(await f.t.db.select().from(providerEvents).where(eq(providerEvents.paymentId, payment.id))).to.have.length(1);
    expect(await paidAudits(payment.id)).to.have.length(1);
    expect(await paidNotes(payment.id)).to.have.length(1);
    // One lead update per lead, however many events: coalesced.
    expect(
      await f.t.db
        .select()
        .from(syncJobs)
        .where(and(eq(syncJobs.leadId, leadId), eq(syncJobs.kind, 'lead_update'))),
    ).to.have.length(1);

    await drain(f, { accounts: [accountId] });
    const notes = f.emu.notes(accountId, leadId);
    expect(notes.filter((n) => String(n.params.text).startsWith('The customer paid '))).to.have.length(1);
    expect(notes).to.have.length(2); // created, paid
    expect(f.emu.leadFieldValue(accountId, leadId, 'DRAMLINK_STATUS')).to.equal('Paid');
    await expectEveryNoteExactlyOnce(f, accountId);
  });

  it('twenty redeliveries of one event with twenty different webhook-ids (and timestamps): twenty inbox rows, still one transition and one note', async () => {
    const { providerEvents } = f.t.db.t;
    const { payment, attempts, leadId } = await newPayment(f, accountId);
    const body = sandboxBody('payment.succeeded', attempts[0]);
    const now = Math.floor(f.clock.now() / 1000);
    const statuses = await storm(Array.from({ length: 20 }, (_, i) => ({ id: `msg_redelivery_${i}`, ts: now - i, body })));
    expect(statuses).to.deep.equal(Array(20).fill(200));

    const inbox = await f.t.db.select().from(providerEvents).where(eq(providerEvents.paymentId, payment.id));
    expect(inbox).to.have.length(20);
    expect(inbox.filter((r) => r.state === 'applied')).to.have.length(1);
    expect(inbox.filter((r) => r.state === 'ignored').map((r) => r.outcome)).to.deep.equal(Array(19).fill('duplicate'));
    expect(await paidAudits(payment.id)).to.have.length(1);
    expect(await paidNotes(payment.id)).to.have.length(1);

    await drain(f, { accounts: [accountId] });
    expect(f.emu.notes(accountId, leadId).filter((n) => String(n.params.text).startsWith('The customer paid '))).to.have.length(1);
    expect(f.emu.leadFieldValue(accountId, leadId, 'DRAMLINK_STATUS')).to.equal('Paid');
    await expectEveryNoteExactlyOnce(f, accountId);
  });

  it('twenty copies racing a sync pass that is writing the same lead: still exactly one note per event', async () => {
    const { payment, attempts, leadId } = await newPayment(f, accountId);
    const body = sandboxBody('payment.succeeded', attempts[0]);
    const ts = Math.floor(f.clock.now() / 1000);
    // The "created" note and lead update are being written while the copies arrive.
    f.emu.faults.add({ method: 'POST', path: '/api/v4/leads/notes', delayMs: 50 });
    const pass = f.t.app.services.syncWorker.runOnce();
    const statuses = await storm(Array.from({ length: 20 }, () => ({ id: 'msg_storm_3', ts, body })));
    await pass;
    expect(statuses).to.deep.equal(Array(20).fill(200));
    expect(await paidAudits(payment.id)).to.have.length(1);
    await drain(f, { accounts: [accountId] });
    expect(f.emu.notes(accountId, leadId)).to.have.length(2);
    expect(f.emu.leadFieldValue(accountId, leadId, 'DRAMLINK_STATUS')).to.equal('Paid');
    await expectEveryNoteExactlyOnce(f, accountId);
  });
});
