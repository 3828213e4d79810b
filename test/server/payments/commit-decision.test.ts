import { expect } from 'chai';
import { cancelPayment } from '../../../server/payments/cancel-payment.ts';
import { expirePayment } from '../../../server/payments/expire-payment.ts';
import { requestRefund, settleRefund } from '../../../server/payments/refunds.ts';
import {
  HOUR,
  apply,
  attemptRow,
  countsFor,
  newAttempt,
  newPayment,
  openLedger,
  paid,
  paymentRow,
  snapshot,
  type Ledger,
  failWrites,
  rejection,
  stopFailingWrites,
} from './ledger-fixture.ts';
import { describeStores } from '../../support/stores.ts';

/**
 * A state change, its audit entry and its outbox rows commit together or not at all: a statement
 * late in the transaction is made to fail with a trigger, and nothing before it may survive.
 */
describeStores('server/payments commitDecision: state, audit and outbox in one transaction', (kind) => {
  let l: Ledger;
  beforeEach(async () => {
    l = await openLedger({ store: kind });
  });
  afterEach(() => l.close());

  const failOn = (name: string, table: string, when: string) => failWrites(l, name, 'INSERT', table, when);
  // The lead update is an upsert on an existing row: fail its UPDATE branch too.
  const failingUpsertOfLeadUpdates = () => failWrites(l, 'fail_lead_update', 'UPDATE', 'sync_jobs', "NEW.kind = 'lead_update'");

  it('does not create the payment when its "created" note cannot be queued', async () => {
    await failOn('fail_notes', 'sync_jobs', "NEW.kind='note'");
    const before = await snapshot(l);
    expect(String(await rejection(() => newPayment(l)))).to.match(/boom/);
    expect(await snapshot(l)).to.deep.equal(before);
  });

  it('does not mark the payment paid when the "paid" note cannot be queued', async () => {
    const p = await newPayment(l);
    const a1 = await newAttempt(l, p.id);
    await failOn('fail_notes', 'sync_jobs', "NEW.kind='note'");
    const before = await snapshot(l);
    expect(String(await rejection(() => apply(l, a1, paid(a1))))).to.match(/boom/);
    expect(await snapshot(l)).to.deep.equal(before);
    expect((await paymentRow(l, p.id)).status).to.equal('awaiting');
    expect((await attemptRow(l, a1.id)).status).to.equal('created');

    await stopFailingWrites(l, 'fail_notes', 'sync_jobs');
    await apply(l, a1, paid(a1));
    expect((await paymentRow(l, p.id)).status, 'the same fact applies once the outbox works again').to.equal('paid');
  });

  it('does not keep the late payment, its audit, note or exception when the review task cannot be queued', async () => {
    const p = await newPayment(l);
    const a1 = await newAttempt(l, p.id);
    l.clock.advance(25 * HOUR);
    await expirePayment(l.deps, { paymentId: p.id });
    await failOn('fail_tasks', 'sync_jobs', "NEW.kind='task'");
    const before = await snapshot(l);
    expect(String(await rejection(() => apply(l, a1, paid(a1))))).to.match(/boom/);
    expect(await snapshot(l)).to.deep.equal(before);
    expect((await paymentRow(l, p.id)).status).to.equal('expired');
  });

  it('does not keep a state change whose coalesced lead update (the last statement) fails', async () => {
    const p = await newPayment(l);
    const a1 = await newAttempt(l, p.id);
    await failingUpsertOfLeadUpdates();
    const before = await snapshot(l);
    expect(String(await rejection(() => apply(l, a1, paid(a1))))).to.match(/boom/);
    expect(String(await rejection(() => cancelPayment(l.deps, { paymentId: p.id, accountId: l.accountId, actor: 'user:7' })))).to.match(
      /boom/,
    );
    expect(await snapshot(l)).to.deep.equal(before);
  });

  it('does not record a refund as succeeded when its note cannot be queued', async () => {
    const p = await newPayment(l);
    const a1 = await newAttempt(l, p.id);
    await apply(l, a1, paid(a1));
    const r = await requestRefund(l.deps, { paymentId: p.id, accountId: l.accountId, amountMinor: 1000, actor: 'user:1' });
    await failOn('fail_notes', 'sync_jobs', "NEW.kind='note'");
    const before = await snapshot(l);
    expect(String(await rejection(() => settleRefund(l.deps, { refundId: r.id, state: 'succeeded', actor: 'user:1' })))).to.match(/boom/);
    expect(await snapshot(l)).to.deep.equal(before);
  });

  it('does not record a provider-reported refund when its audit entry cannot be written', async () => {
    const p = await newPayment(l);
    const a1 = await newAttempt(l, p.id);
    await apply(l, a1, paid(a1));
    await failOn('fail_audit', 'audit_entries', "NEW.action LIKE '%refunded'");
    const before = await snapshot(l);
    expect(String(await rejection(() => apply(l, a1, paid(a1, { refundedTotalMinor: 5000 }))))).to.match(/boom/);
    expect(await snapshot(l)).to.deep.equal(before);
    expect((await countsFor(l, p)).refunds).to.equal(0);
  });
});
