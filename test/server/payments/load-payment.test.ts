import { expect } from 'chai';
import { cancelPayment } from '../../../server/payments/cancel-payment.ts';
import { expirePayment } from '../../../server/payments/expire-payment.ts';
import { openAttempt } from '../../../server/payments/open-attempt.ts';
import { recordResend } from '../../../server/payments/record-resend.ts';
import { requestRefund, settleRefund } from '../../../server/payments/refunds.ts';
import { apply, newAttempt, newPayment, openLedger, paid, snapshot, type Ledger, errorOf } from './ledger-fixture.ts';
import { describeStores } from '../../support/stores.ts';

describeStores('server/payments: unknown payment ids', (kind) => {
  let l: Ledger;
  beforeEach(async () => {
    l = await openLedger({ store: kind });
  });
  afterEach(() => l.close());

  const calls: Array<[string, (l: Ledger, id: string, accountId: number) => unknown]> = [
    ['cancelPayment', (l, id, accountId) => cancelPayment(l.deps, { paymentId: id, accountId, actor: 'user:1' })],
    ['expirePayment', (l, id) => expirePayment(l.deps, { paymentId: id })],
    ['openAttempt', (l, id) => openAttempt(l.deps, { paymentId: id, provider: 'sandbox', orderNo: (n) => `o${n}` })],
    [
      'recordResend',
      (l, id, accountId) => recordResend(l.deps, { paymentId: id, accountId, actor: 'user:1', channel: 'copy', link: 'http://x/pay/t' }),
    ],
    ['requestRefund', (l, id, accountId) => requestRefund(l.deps, { paymentId: id, accountId, actor: 'user:1' })],
  ];

  for (const [name, call] of calls) {
    it(`${name} answers payment_not_found (404) for an unknown id and writes nothing`, async () => {
      await newPayment(l);
      const before = await snapshot(l);
      const err = await errorOf(() => call(l, 'pay_does_not_exist', l.accountId));
      expect(err.code).to.equal('payment_not_found');
      expect(err.status).to.equal(404);
      expect(await snapshot(l)).to.deep.equal(before);
    });
  }

  it("does not let another account cancel, resend or refund this account's payment (payment_not_found)", async () => {
    const p = await newPayment(l);
    const a = await newAttempt(l, p.id);
    await apply(l, a, paid(a));
    const before = await snapshot(l);
    for (const [name, call] of calls.filter(([n]) => ['cancelPayment', 'recordResend', 'requestRefund'].includes(n))) {
      expect((await errorOf(() => call(l, p.id, 4242))).code, name).to.equal('payment_not_found');
    }
    expect(await snapshot(l)).to.deep.equal(before);
  });

  it('settleRefund answers refund_not_found for an unknown refund and writes nothing', async () => {
    const before = await snapshot(l);
    expect((await errorOf(() => settleRefund(l.deps, { refundId: 'ref_nope', state: 'succeeded', actor: 'user:1' }))).code).to.equal(
      'refund_not_found',
    );
    expect(await snapshot(l)).to.deep.equal(before);
  });
});
