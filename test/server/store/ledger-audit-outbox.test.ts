import { expect } from 'chai';
import { eq, sql } from 'drizzle-orm';
import { applyProviderFact } from '../../../server/payments/apply-provider-fact.ts';
import { describeStores } from '../../support/stores.ts';
import { countsFor, newAttempt, newPayment, openLedger, paid, paymentRow, rejection, type Ledger } from '../payments/ledger-fixture.ts';
import { concurrently, openInstances, type Instances } from './instances.ts';

describeStores('store conformance: ledger, audit and outbox across instances', (kind) => {
  let inst: Instances;
  let l: Ledger;
  beforeEach(async () => {
    inst = await openInstances(kind);
    l = await openLedger({ store: inst.stores[0], keepOpen: true });
  });
  afterEach(() => inst.close());

  it('twenty concurrent copies of one payment fact over three instances: one transition, one audit row, one note', async () => {
    const p = await newPayment(l);
    const a = await newAttempt(l, p.id);
    const results = await concurrently(inst, 20, (store) =>
      applyProviderFact({ store, clock: l.clock }, { attemptId: a.id, fact: paid(a), actor: 'provider:sandbox' }),
    );
    expect(
      results.filter((r) => r.events.length > 0),
      'exactly one copy changed the ledger',
    ).to.have.length(1);
    expect((await paymentRow(l, p.id)).status).to.equal('paid');
    const counts = await countsFor(l, p);
    expect(counts.actions.filter((x) => x === 'paid')).to.have.length(1);
    expect(counts.notes, 'created + paid').to.equal(2);
    expect(counts.leadUpdates, 'one coalesced lead update').to.equal(1);
  });

  it('a transaction that fails half-way leaves nothing behind on any instance', async () => {
    const p = await newPayment(l);
    const before = await countsFor(l, p);
    const err = await rejection(() =>
      inst.at(1).transaction(function* (tx) {
        yield* tx.run(tx.update(tx.t.payments).set({ status: 'paid' }).where(eq(tx.t.payments.id, p.id)));
        throw new Error('boom after the first write');
      }),
    );
    expect(err.message).to.equal('boom after the first write');
    expect((await paymentRow(l, p.id)).status).to.equal('awaiting');
    expect(await countsFor(l, p)).to.deep.equal(before);
  });

  it('refuses a transaction whose step caught a failed statement, instead of a commit that silently kept nothing', async () => {
    const p = await newPayment(l);
    const before = await countsFor(l, p);
    const err = await rejection(() =>
      inst.at(1).transaction(function* (tx) {
        yield* tx.run(tx.update(tx.t.payments).set({ status: 'paid' }).where(eq(tx.t.payments.id, p.id)));
        try {
          // The same id again: a constraint violation the step swallows.
          yield* tx.exec(sql`insert into payments (id) values (${p.id})`);
        } catch {
          // swallowed on purpose
        }
        return 'looked fine';
      }),
    );
    expect(String(err.message)).to.match(/insert into payments|unique|duplicate|constraint|null/i);
    expect((await paymentRow(l, p.id)).status, 'the write before the failure is not kept').to.equal('awaiting');
    expect(await countsFor(l, p)).to.deep.equal(before);
  });
});
