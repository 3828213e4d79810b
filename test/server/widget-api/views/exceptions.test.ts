import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { resolveException } from '../../../../server/exceptions/open-exception.ts';
import { cancelPayment } from '../../../../server/payments/cancel-payment.ts';
import { ENGLISH } from '../../../../server/sync/render/strings-en.ts';
import { findAccount } from '../../../../server/accounts/account-store.ts';
import { listExceptions } from '../../../../server/widget-api/views/exceptions.ts';
import { apply, newAttempt, newPayment, openLedger, paid, type Ledger } from '../../payments/ledger-fixture.ts';
import { describeStores } from '../../../support/stores.ts';

describeStores('server/widget-api/views listExceptions: messages rendered from kind, reason and data when read', (kind) => {
  let l: Ledger;
  beforeEach(async () => {
    l = await openLedger({ store: kind });
  });
  afterEach(() => l.close());

  async function paidAfterCancel() {
    const p = await newPayment(l);
    const a1 = await newAttempt(l, p.id);
    await cancelPayment(l.deps, { paymentId: p.id, accountId: l.accountId, actor: 'user:7' });
    await apply(l, a1, paid(a1));
    return p;
  }

  const list = (opts?: Parameters<typeof listExceptions>[2]) =>
    l.store.run(function* (tx) {
      return yield* listExceptions(tx, (yield* findAccount(tx, l.accountId))!, opts);
    });

  it('renders a recorded review from its reason and the payment amount, in the string table given', async () => {
    const p = await paidAfterCancel();
    const [e] = await list();
    expect(e).to.deep.include({ kind: 'needs_review', paymentId: p.id, leadId: p.leadId });
    expect(e.message).to.equal('dramlink: check the payment of 1\u00a0500\u00a0AMD: the customer paid after the link had been cancelled');
    const terse = { ...ENGLISH, review: { ...ENGLISH.review, paid_after_cancel: 'PAID AFTER CANCEL' } };
    expect((await list({ strings: terse }))[0].message).to.match(/PAID AFTER CANCEL$/);
  });

  it('still lists a payment flagged for review after its exception row was resolved, with the same text', async () => {
    const p = await paidAfterCancel();
    const { exceptions } = l.db.t;
    const key = (await l.db.select().from(exceptions).where(eq(exceptions.paymentId, p.id)))[0].dedupeKey;
    await l.store.transaction((tx) => resolveException(tx, { accountId: l.accountId, key, now: l.clock.now() }));
    const [e, ...rest] = await list();
    expect(rest).to.deep.equal([]);
    expect(e).to.deep.include({ id: `review_${p.id}`, kind: 'needs_review' });
    expect(e.message).to.match(/paid after the link had been cancelled/);
  });

  it('lists a blocked account that no exception row recorded', async () => {
    const { accounts } = l.db.t;
    await l.db.update(accounts).set({ state: 'blocked' }).where(eq(accounts.id, l.accountId));
    const [e] = await list();
    expect(e).to.deep.include({ id: 'account_blocked', kind: 'account_blocked', paymentId: null, leadId: null });
    expect(e.message).to.match(/lead updates are paused/);
  });
});
