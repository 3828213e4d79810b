import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { applyProviderFactInTx } from '../../../server/payments/apply-provider-fact.ts';
import { cancelPayment } from '../../../server/payments/cancel-payment.ts';
import type { NoteJobPayload, TaskJobPayload } from '../../../server/sync/outbox.ts';
import { apply, newAttempt, newPayment, openLedger, paid, snapshot, type Ledger } from './ledger-fixture.ts';
import { describeStores } from '../../support/stores.ts';

/** What recordEvents queues: typed events with their rendering context, in the caller's transaction. */
describeStores('server/payments recordEvents: typed events into the outbox, in the same transaction', (kind) => {
  let l: Ledger;
  beforeEach(async () => {
    l = await openLedger({ store: kind });
  });
  afterEach(() => l.close());

  const jobs = (paymentId: string, kind: 'note' | 'task') => {
    const { syncJobs } = l.db.t;
    return l.db
      .select()
      .from(syncJobs)
      .where(and(eq(syncJobs.paymentId, paymentId), eq(syncJobs.kind, kind)))
      .orderBy(syncJobs.id);
  };

  it('queues the note as the typed event plus what rendering needs, keyed by its audit entry', async () => {
    const { auditEntries } = l.db.t;
    const p = await newPayment(l, { createdByName: 'Anna' });
    const a1 = await newAttempt(l, p.id);
    await apply(l, a1, paid(a1, { providerPaymentId: 'sbx-9' }));
    const paidAudit = (await l.db.select().from(auditEntries).where(eq(auditEntries.action, 'paid')))[0];
    const notes = (await jobs(p.id, 'note')).map((j) => JSON.parse(j.payload) as NoteJobPayload);
    expect(notes.map((n) => n.event.type)).to.deep.equal(['created', 'paid']);
    expect(notes[0].context).to.deep.equal({
      amountMinor: 150000,
      currency: 'AMD',
      actor: 'user:7',
      actorName: 'Anna',
      link: `http://localhost:3000/pay/${p.linkToken}`,
    });
    expect(notes[1]).to.deep.equal({
      eventKey: `${p.id}:${paidAudit.id}`,
      event: { type: 'paid', attemptId: a1.id, amountMinor: 150000, currency: 'AMD', providerRef: 'sbx-9' },
      context: { amountMinor: 150000, currency: 'AMD', actor: 'provider:sandbox', provider: 'sandbox' },
    });
    expect(JSON.parse(paidAudit.details!)).to.deep.equal({ attemptId: a1.id, amountMinor: 150000, currency: 'AMD', providerRef: 'sbx-9' });
  });

  it('opens the exception with reason and data and queues its task with the event that opened it', async () => {
    const { auditEntries, exceptions } = l.db.t;
    const p = await newPayment(l);
    const a1 = await newAttempt(l, p.id);
    await cancelPayment(l.deps, { paymentId: p.id, accountId: l.accountId, actor: 'user:7' });
    await apply(l, a1, paid(a1));
    const [task] = (await jobs(p.id, 'task')).map((j) => JSON.parse(j.payload) as TaskJobPayload);
    expect(task.exceptionKey).to.equal(`needs_review:${p.id}:paid_after_cancel`);
    expect(task.event).to.deep.equal({ type: 'review_needed', reason: 'paid_after_cancel', attemptId: a1.id, previousStatus: 'cancelled' });
    const row = (await l.db.select().from(exceptions).where(eq(exceptions.paymentId, p.id)))[0];
    expect(row).to.deep.include({ kind: 'needs_review', reason: 'paid_after_cancel', dedupeKey: task.exceptionKey });
    expect(JSON.parse(row.data)).to.deep.equal({ amountMinor: 150000, currency: 'AMD' });
    const reviewAudit = (await l.db.select().from(auditEntries).where(eq(auditEntries.action, 'paid_after_cancel')))[0];
    expect(reviewAudit, 'a review is audited under its reason').to.not.equal(undefined);
  });

  it('leaves no state change, audit entry, note, task or exception behind when the caller rolls back', async () => {
    const p = await newPayment(l);
    const a1 = await newAttempt(l, p.id);
    await cancelPayment(l.deps, { paymentId: p.id, accountId: l.accountId, actor: 'user:7' });
    const before = await snapshot(l);
    const failed = await l.store
      .transaction(function* (tx) {
        const d = yield* applyProviderFactInTx(tx, l.clock.now(), { attemptId: a1.id, fact: paid(a1), actor: 'provider:sandbox' });
        expect(d.events.map((e) => e.type)).to.deep.equal(['paid', 'review_needed']);
        throw new Error('the inbox row could not be stored');
      })
      .catch((err: Error) => err);
    expect(String(failed)).to.match(/inbox row/);
    expect(await snapshot(l)).to.deep.equal(before);
  });
});
