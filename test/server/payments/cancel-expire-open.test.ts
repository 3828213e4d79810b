import { expect } from 'chai';
import { cancelPayment } from '../../../server/payments/cancel-payment.ts';
import { expirePayment } from '../../../server/payments/expire-payment.ts';
import { recordResend } from '../../../server/payments/record-resend.ts';
import {
  HOUR,
  apply,
  countsFor,
  failed,
  newAttempt,
  newPayment,
  openLedger,
  paymentRow,
  snapshot,
  type Ledger,
  codeOf,
} from './ledger-fixture.ts';

describe('server/payments cancel, expire, open attempt, resend', () => {
  let l: Ledger;
  beforeEach(() => {
    l = openLedger();
  });
  afterEach(() => l.close());

  const cancel = (id: string) => cancelPayment(l.deps, { paymentId: id, accountId: l.accountId, actor: 'user:7' });

  it('does not expire a payment before its expiry, and expires it (audit + note) after', () => {
    const p = newPayment(l, { expiresInHours: 1 });
    l.clock.advance(HOUR - 1);
    const before = snapshot(l);
    expect(expirePayment(l.deps, { paymentId: p.id }).events).to.deep.equal([]);
    expect(snapshot(l)).to.deep.equal(before);
    l.clock.advance(1);
    expirePayment(l.deps, { paymentId: p.id });
    expect(paymentRow(l, p.id).status).to.equal('expired');
    expect(countsFor(l, p)).to.deep.include({ audit: 2, notes: 2, leadUpdates: 1, tasks: 0 });
    expirePayment(l.deps, { paymentId: p.id });
    expect(countsFor(l, p).audit, 'expiring twice writes once').to.equal(2);
  });

  it('expires a payment whose last attempt failed (payment_failed → expired)', () => {
    const p = newPayment(l);
    const a = newAttempt(l, p.id);
    apply(l, a, failed(a));
    l.clock.advance(25 * HOUR);
    expirePayment(l.deps, { paymentId: p.id });
    expect(paymentRow(l, p.id).status).to.equal('expired');
  });

  it('cancels an unpaid link once; a second cancel or a cancel after expiry is refused and writes nothing', () => {
    const p = newPayment(l);
    cancel(p.id);
    expect(paymentRow(l, p.id).status).to.equal('cancelled');
    const before = snapshot(l);
    expect(codeOf(() => cancel(p.id))).to.equal('payment_cancelled');
    expect(snapshot(l)).to.deep.equal(before);

    const q = newPayment(l, { expiresInHours: 1 });
    l.clock.advance(2 * HOUR);
    expirePayment(l.deps, { paymentId: q.id });
    expect(codeOf(() => cancel(q.id))).to.equal('payment_expired');
  });

  it('does not let a cancelled or expired link open a new provider session', () => {
    const p = newPayment(l);
    cancel(p.id);
    const q = newPayment(l, { expiresInHours: 1 });
    l.clock.advance(HOUR);
    const before = snapshot(l);
    expect(codeOf(() => newAttempt(l, p.id))).to.equal('payment_cancelled');
    expect(
      codeOf(() => newAttempt(l, q.id)),
      'past expiry even before the reconciler ran',
    ).to.equal('payment_expired');
    expect(snapshot(l)).to.deep.equal(before);
  });

  it('gives each attempt a fresh order number and an increasing seq', () => {
    const p = newPayment(l);
    const a1 = newAttempt(l, p.id);
    const a2 = newAttempt(l, p.id);
    expect(a1.providerOrderNo).to.not.equal(a2.providerOrderNo);
    expect([a1.seq, a2.seq]).to.deep.equal([1, 2]);
    expect([a1.amountMinor, a1.currency]).to.deep.equal([p.amountMinor, p.currency]);
  });

  it('does not keep an opened attempt or a used order number when its audit entry cannot be written', () => {
    const p = newPayment(l);
    l.database.sqlite.exec(
      `CREATE TRIGGER fail_open BEFORE INSERT ON audit_entries WHEN NEW.action='attempt_opened' BEGIN SELECT RAISE(ABORT,'boom'); END;`,
    );
    const before = snapshot(l);
    expect(() => newAttempt(l, p.id)).to.throw(/boom/);
    expect(snapshot(l)).to.deep.equal(before);
  });

  it('logs a resend with audit and note, and refuses to resend a link that cannot be paid', () => {
    const p = newPayment(l);
    recordResend(l.deps, { paymentId: p.id, accountId: l.accountId, actor: 'user:7', channel: 'sms', link: 'http://x/pay/t' });
    expect(countsFor(l, p)).to.deep.include({ audit: 2, notes: 2, actions: ['created', 'resent'] });
    cancel(p.id);
    const before = snapshot(l);
    expect(
      codeOf(() =>
        recordResend(l.deps, { paymentId: p.id, accountId: l.accountId, actor: 'user:7', channel: 'sms', link: 'http://x/pay/t' }),
      ),
    ).to.equal('payment_not_payable');
    expect(snapshot(l)).to.deep.equal(before);
  });
});
