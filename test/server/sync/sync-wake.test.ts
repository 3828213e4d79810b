import { expect } from 'chai';
import { sql } from 'drizzle-orm';
import { realTimer, type Timer } from '../../../server/platform/background-loop.ts';
import * as outbox from '../../../server/sync/outbox.ts';
import { queueLeadUpdate } from '../../../server/sync/outbox.ts';
import { createInProcessSyncWake } from '../../../server/sync/sync-wake.ts';
import {
  extraStack,
  installWithSandbox,
  jobStates,
  newLeadPayment,
  payPayment,
  startEmulatedApp,
  type EmulatedApp,
} from '../amocrm/support/emulated-app.ts';

const HOUR = 3_600_000;
/** Real timers for the wake's short delay; the poll (an hour here) never elapses. */
const pollNever: Timer = (fn, ms) => (ms >= HOUR ? () => undefined : realTimer(fn, ms));

async function until(check: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const writes = (e: EmulatedApp) => e.emu.requests.filter((r) => r.method !== 'GET' && r.path.startsWith('/api/v4/'));

describe('server/sync sync-wake: the in-process seam', () => {
  it('calls every subscriber with the account id, and no longer one that unsubscribed', () => {
    const wake = createInProcessSyncWake();
    const a: number[] = [];
    const b: number[] = [];
    wake.subscribe((id) => a.push(id));
    const stopB = wake.subscribe((id) => b.push(id));
    wake.notify(7);
    stopB();
    wake.notify(8);
    expect(a).to.deep.equal([7, 8]);
    expect(b).to.deep.equal([7]);
  });

  it('never throws into the notifier when a subscriber fails, and still reaches the others', () => {
    const wake = createInProcessSyncWake();
    const seen: number[] = [];
    wake.subscribe(() => {
      throw new Error('broken listener');
    });
    wake.subscribe((id) => seen.push(id));
    expect(() => wake.notify(3)).not.to.throw();
    expect(seen).to.deep.equal([3]);
  });
});

describe('server/sync sync-wake: a committed ledger change wakes the sync worker', () => {
  let e: EmulatedApp;
  let accountId: number;
  beforeEach(async () => {
    e = await startEmulatedApp();
    accountId = await installWithSandbox(e);
  });
  afterEach(() => e.close());

  it('writes the lead after a payment is paid without the poll interval ever elapsing', async () => {
    const { worker } = extraStack(e, { wake: e.t.app.services.syncWake, worker: { intervalMs: HOUR, timer: pollNever } });
    worker.start();
    try {
      await new Promise((r) => setTimeout(r, 30)); // the first pass (at start) is over: only a wake runs another
      const payment = await newLeadPayment(e);
      await payPayment(e, payment);
      await until(() => e.emu.leadFieldValue(accountId, payment.leadId, 'DRAMLINK_STATUS') === 'Paid');
      await until(async () => {
        const states = await jobStates(e);
        return (states.pending ?? 0) + (states.in_flight ?? 0) === 0;
      });
    } finally {
      await worker.stop();
    }
  });

  it('notifies only after the commit, once per account per transaction, and nothing for a rolled-back one', async () => {
    const { store, syncWake } = e.t.app.services;
    const db = e.t.sqliteDb;
    const seen: Array<{ accountId: number; inTransaction: boolean }> = [];
    syncWake.subscribe((id) => seen.push({ accountId: id, inTransaction: db.$client.inTransaction }));
    const payment = await newLeadPayment(e); // payment, audit, note and lead update in one transaction
    expect(seen).to.deep.equal([{ accountId, inTransaction: false }]);

    seen.length = 0;
    const note = { eventKey: 'k-rolled-back', event: {} as never, context: {} as never };
    const failed = await store
      .transaction(function* (tx) {
        yield* queueLeadUpdate(tx, { accountId, leadId: payment.leadId, paymentId: payment.id, now: e.clock.now() });
        yield* outbox.queueNote(tx, { accountId, leadId: payment.leadId, paymentId: payment.id, note, now: e.clock.now() });
        throw new Error('rolled back');
      })
      .catch((err: Error) => err.message);
    expect(failed).to.equal('rolled back');
    expect(seen).to.deep.equal([]);
    expect(db.get<{ n: number }>(sql`SELECT count(*) AS n FROM sync_jobs WHERE kind = 'note'`)?.n).to.equal(1);
  });

  it('wakes for every kind of outbox row (lead update, note, task, invoice update, bot step), once committed', async () => {
    const { store, syncWake } = e.t.app.services;
    const payment = await newLeadPayment(e);
    const where = { accountId, leadId: payment.leadId, paymentId: payment.id, now: e.clock.now() };
    const queued: Record<string, (tx: Parameters<typeof queueLeadUpdate>[0]) => Generator<Promise<unknown>, void, unknown>> = {
      queueLeadUpdate: (tx) => outbox.queueLeadUpdate(tx, where),
      queueNote: (tx) => outbox.queueNote(tx, { ...where, note: { eventKey: 'k-note', event: {} as never, context: {} as never } }),
      queueTask: (tx) => outbox.queueTask(tx, { ...where, task: { exceptionKey: 'k-task', event: {} as never, context: {} as never } }),
      queueInvoiceUpdate: (tx) => outbox.queueInvoiceUpdate(tx, { ...where, invoiceId: 5, catalogId: 6 }),
      queueBotContinue: (tx) => outbox.queueBotContinue(tx, { ...where, continued: { path: '/bot/1', data: {} } }),
    };
    // A new queue function must be listed here (and signal its account).
    const exported = Object.keys(outbox).filter((name) => name.startsWith('queue'));
    expect(exported.sort()).to.deep.equal(Object.keys(queued).sort());
    for (const [name, queue] of Object.entries(queued)) {
      const seen: number[] = [];
      const stop = syncWake.subscribe((id) => seen.push(id));
      await store.transaction(function* (tx) {
        yield* queue(tx);
        expect(seen, `${name} woke the sync before the commit`).to.deep.equal([]);
      });
      stop();
      expect(seen, name).to.deep.equal([accountId]);
    }
  });

  it('still coalesces a burst: thirty payments paid at once reach amoCRM as one PATCH and one note request', async () => {
    const payments: Awaited<ReturnType<typeof newLeadPayment>>[] = [];
    for (let i = 0; i < 30; i++) payments.push(await newLeadPayment(e));
    const { worker } = extraStack(e, { wake: e.t.app.services.syncWake, worker: { intervalMs: HOUR, timer: pollNever } });
    worker.start();
    try {
      await until(async () => Object.keys(await jobStates(e)).join() === 'done');
      e.emu.clearRequests();
      await Promise.all(payments.map((p) => payPayment(e, p)));
      await until(() => payments.every((p) => e.emu.leadFieldValue(accountId, p.leadId, 'DRAMLINK_STATUS') === 'Paid'));
      await until(async () => Object.keys(await jobStates(e)).join() === 'done');
      expect(writes(e).map((r) => `${r.method} ${r.path}`)).to.deep.equal(['PATCH /api/v4/leads', 'POST /api/v4/leads/notes']);
    } finally {
      await worker.stop();
    }
  });
});
