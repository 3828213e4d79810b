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
  failWrites,
  rejection,
} from './ledger-fixture.ts';
import { describeStores } from '../../support/stores.ts';

describeStores('server/payments cancel, expire, open attempt, resend', (kind) => {
  let l: Ledger;
  beforeEach(async () => {
    l = await openLedger({ store: kind });
  });
  afterEach(() => l.close());

  const cancel = (id: string) => cancelPayment(l.deps, { paymentId: id, accountId: l.accountId, actor: 'user:7' });

  it('does not expire a payment before its expiry, and expires it (audit + note) after', async () => {
    const p = await newPayment(l, { expiresInHours: 1 });
    l.clock.advance(HOUR - 1);
    const before = await snapshot(l);
    expect((await expirePayment(l.deps, { paymentId: p.id })).events).to.deep.equal([]);
    expect(await snapshot(l)).to.deep.equal(before);
    l.clock.advance(1);
    await expirePayment(l.deps, { paymentId: p.id });
    expect((await paymentRow(l, p.id)).status).to.equal('expired');
    expect(await countsFor(l, p)).to.deep.include({ audit: 2, notes: 2, leadUpdates: 1, tasks: 0 });
    await expirePayment(l.deps, { paymentId: p.id });
    expect((await countsFor(l, p)).audit, 'expiring twice writes once').to.equal(2);
  });

  it('expires a payment whose last attempt failed (payment_failed → expired)', async () => {
    const p = await newPayment(l);
    const a = await newAttempt(l, p.id);
    await apply(l, a, failed(a));
    l.clock.advance(25 * HOUR);
    await expirePayment(l.deps, { paymentId: p.id });
    expect((await paymentRow(l, p.id)).status).to.equal('expired');
  });

  it('cancels an unpaid link once; a second cancel or a cancel after expiry is refused and writes nothing', async () => {
    const p = await newPayment(l);
    await cancel(p.id);
    expect((await paymentRow(l, p.id)).status).to.equal('cancelled');
    const before = await snapshot(l);
    expect(await codeOf(() => cancel(p.id))).to.equal('payment_cancelled');
    expect(await snapshot(l)).to.deep.equal(before);

    const q = await newPayment(l, { expiresInHours: 1 });
    l.clock.advance(2 * HOUR);
    await expirePayment(l.deps, { paymentId: q.id });
    expect(await codeOf(() => cancel(q.id))).to.equal('payment_expired');
  });

  it('does not let a cancelled or expired link open a new provider session', async () => {
    const p = await newPayment(l);
    await cancel(p.id);
    const q = await newPayment(l, { expiresInHours: 1 });
    l.clock.advance(HOUR);
    const before = await snapshot(l);
    expect(await codeOf(() => newAttempt(l, p.id))).to.equal('payment_cancelled');
    expect(await codeOf(() => newAttempt(l, q.id)), 'past expiry even before the reconciler ran').to.equal('payment_expired');
    expect(await snapshot(l)).to.deep.equal(before);
  });

  it('gives each attempt a fresh order number and an increasing seq', async () => {
    const p = await newPayment(l);
    const a1 = await newAttempt(l, p.id);
    const a2 = await newAttempt(l, p.id);
    expect(a1.providerOrderNo).to.not.equal(a2.providerOrderNo);
    expect([a1.seq, a2.seq]).to.deep.equal([1, 2]);
    expect([a1.amountMinor, a1.currency]).to.deep.equal([p.amountMinor, p.currency]);
  });

  it('does not keep an opened attempt or a used order number when its audit entry cannot be written', async () => {
    const p = await newPayment(l);
    await failWrites(l, 'fail_open', 'INSERT', 'audit_entries', "NEW.action = 'attempt_opened'");
    const before = await snapshot(l);
    expect(String(await rejection(() => newAttempt(l, p.id)))).to.match(/boom/);
    expect(await snapshot(l)).to.deep.equal(before);
  });

  it('logs a resend with audit and note, and refuses to resend a link that cannot be paid', async () => {
    const p = await newPayment(l);
    await recordResend(l.deps, { paymentId: p.id, accountId: l.accountId, actor: 'user:7', channel: 'sms', link: 'http://x/pay/t' });
    expect(await countsFor(l, p)).to.deep.include({ audit: 2, notes: 2, actions: ['created', 'resent'] });
    await cancel(p.id);
    const before = await snapshot(l);
    expect(
      await codeOf(() =>
        recordResend(l.deps, { paymentId: p.id, accountId: l.accountId, actor: 'user:7', channel: 'sms', link: 'http://x/pay/t' }),
      ),
    ).to.equal('payment_not_payable');
    expect(await snapshot(l)).to.deep.equal(before);
  });
});
