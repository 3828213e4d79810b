import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { accounts, exceptions } from '../../../../server/db/schema.ts';
import { resolveException } from '../../../../server/exceptions/open-exception.ts';
import { cancelPayment } from '../../../../server/payments/cancel-payment.ts';
import { ENGLISH } from '../../../../server/sync/render/strings-en.ts';
import { findAccount } from '../../../../server/accounts/account-store.ts';
import { listExceptions } from '../../../../server/widget-api/views/exceptions.ts';
import { apply, newAttempt, newPayment, openLedger, paid, type Ledger } from '../../payments/ledger-fixture.ts';

describe('server/widget-api/views listExceptions: messages rendered from kind, reason and data when read', () => {
  let l: Ledger;
  beforeEach(() => {
    l = openLedger();
  });
  afterEach(() => l.close());

  function paidAfterCancel() {
    const p = newPayment(l);
    const a1 = newAttempt(l, p.id);
    cancelPayment(l.deps, { paymentId: p.id, accountId: l.accountId, actor: 'user:7' });
    apply(l, a1, paid(a1));
    return p;
  }

  it('renders a recorded review from its reason and the payment amount, in the string table given', () => {
    const p = paidAfterCancel();
    const [e] = listExceptions(l.db, findAccount(l.db, l.accountId)!);
    expect(e).to.deep.include({ kind: 'needs_review', paymentId: p.id, leadId: p.leadId });
    expect(e.message).to.equal('dramlink: check the payment of 1\u00a0500\u00a0AMD: the customer paid after the link had been cancelled');
    const terse = { ...ENGLISH, review: { ...ENGLISH.review, paid_after_cancel: 'PAID AFTER CANCEL' } };
    expect(listExceptions(l.db, findAccount(l.db, l.accountId)!, { strings: terse })[0].message).to.match(/PAID AFTER CANCEL$/);
  });

  it('still lists a payment flagged for review after its exception row was resolved, with the same text', () => {
    const p = paidAfterCancel();
    const key = l.db.select().from(exceptions).where(eq(exceptions.paymentId, p.id)).get()!.dedupeKey;
    l.db.transaction((tx) => resolveException(tx, { accountId: l.accountId, key, now: l.clock.now() }));
    const [e, ...rest] = listExceptions(l.db, findAccount(l.db, l.accountId)!);
    expect(rest).to.deep.equal([]);
    expect(e).to.deep.include({ id: `review_${p.id}`, kind: 'needs_review' });
    expect(e.message).to.match(/paid after the link had been cancelled/);
  });

  it('lists a blocked account that no exception row recorded', () => {
    l.db.update(accounts).set({ state: 'blocked' }).where(eq(accounts.id, l.accountId)).run();
    const [e] = listExceptions(l.db, findAccount(l.db, l.accountId)!);
    expect(e).to.deep.include({ id: 'account_blocked', kind: 'account_blocked', paymentId: null, leadId: null });
    expect(e.message).to.match(/lead updates are paused/);
  });
});
