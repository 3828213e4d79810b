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
} from './ledger-fixture.ts';

/**
 * A state change, its audit entry and its outbox rows commit together or not at all: a statement
 * late in the transaction is made to fail with a trigger, and nothing before it may survive.
 */
describe('server/payments commitDecision: state, audit and outbox in one transaction', () => {
  let l: Ledger;
  beforeEach(() => {
    l = openLedger();
  });
  afterEach(() => l.close());

  function failOn(name: string, table: string, when: string) {
    l.database.sqlite.exec(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} WHEN ${when} BEGIN SELECT RAISE(ABORT, 'boom'); END;`);
  }
  function stopFailing(name: string) {
    l.database.sqlite.exec(`DROP TRIGGER ${name}`);
  }
  function failingUpsertOfLeadUpdates() {
    // The lead update is an upsert on an existing row: fail its UPDATE branch too.
    l.database.sqlite.exec(
      `CREATE TRIGGER fail_lead_update BEFORE UPDATE ON sync_jobs WHEN NEW.kind='lead_update' BEGIN SELECT RAISE(ABORT,'boom'); END;`,
    );
  }

  it('does not create the payment when its "created" note cannot be queued', () => {
    failOn('fail_notes', 'sync_jobs', "NEW.kind='note'");
    const before = snapshot(l);
    expect(() => newPayment(l)).to.throw(/boom/);
    expect(snapshot(l)).to.deep.equal(before);
  });

  it('does not mark the payment paid when the "paid" note cannot be queued', () => {
    const p = newPayment(l);
    const a1 = newAttempt(l, p.id);
    failOn('fail_notes', 'sync_jobs', "NEW.kind='note'");
    const before = snapshot(l);
    expect(() => apply(l, a1, paid(a1))).to.throw(/boom/);
    expect(snapshot(l)).to.deep.equal(before);
    expect(paymentRow(l, p.id).status).to.equal('awaiting');
    expect(attemptRow(l, a1.id).status).to.equal('created');

    stopFailing('fail_notes');
    apply(l, a1, paid(a1));
    expect(paymentRow(l, p.id).status, 'the same fact applies once the outbox works again').to.equal('paid');
  });

  it('does not keep the late payment, its audit, note or exception when the review task cannot be queued', () => {
    const p = newPayment(l);
    const a1 = newAttempt(l, p.id);
    l.clock.advance(25 * HOUR);
    expirePayment(l.deps, { paymentId: p.id });
    failOn('fail_tasks', 'sync_jobs', "NEW.kind='task'");
    const before = snapshot(l);
    expect(() => apply(l, a1, paid(a1))).to.throw(/boom/);
    expect(snapshot(l)).to.deep.equal(before);
    expect(paymentRow(l, p.id).status).to.equal('expired');
  });

  it('does not keep a state change whose coalesced lead update (the last statement) fails', () => {
    const p = newPayment(l);
    const a1 = newAttempt(l, p.id);
    failingUpsertOfLeadUpdates();
    const before = snapshot(l);
    expect(() => apply(l, a1, paid(a1))).to.throw(/boom/);
    expect(() => cancelPayment(l.deps, { paymentId: p.id, accountId: l.accountId, actor: 'user:7' })).to.throw(/boom/);
    expect(snapshot(l)).to.deep.equal(before);
  });

  it('does not record a refund as succeeded when its note cannot be queued', () => {
    const p = newPayment(l);
    const a1 = newAttempt(l, p.id);
    apply(l, a1, paid(a1));
    const r = requestRefund(l.deps, { paymentId: p.id, accountId: l.accountId, amountMinor: 1000, actor: 'user:1' });
    failOn('fail_notes', 'sync_jobs', "NEW.kind='note'");
    const before = snapshot(l);
    expect(() => settleRefund(l.deps, { refundId: r.id, state: 'succeeded', actor: 'user:1' })).to.throw(/boom/);
    expect(snapshot(l)).to.deep.equal(before);
  });

  it('does not record a provider-reported refund when its audit entry cannot be written', () => {
    const p = newPayment(l);
    const a1 = newAttempt(l, p.id);
    apply(l, a1, paid(a1));
    failOn('fail_audit', 'audit_entries', "NEW.action LIKE '%refunded'");
    const before = snapshot(l);
    expect(() => apply(l, a1, paid(a1, { refundedTotalMinor: 5000 }))).to.throw(/boom/);
    expect(snapshot(l)).to.deep.equal(before);
    expect(countsFor(l, p).refunds).to.equal(0);
  });
});
