import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import type { ParsedInbound } from '../../../server/providers/provider.ts';
import { storeInbound } from '../../../server/webhooks/store-inbound.ts';
import { describeStores } from '../../support/stores.ts';
import { countsFor, newAttempt, newPayment, openLedger, paid, paymentRow, type Ledger } from '../payments/ledger-fixture.ts';
import { concurrently, openInstances, type Instances } from './instances.ts';

describeStores('store conformance: the provider inbox across instances', (kind) => {
  let inst: Instances;
  let l: Ledger;
  beforeEach(async () => {
    inst = await openInstances(kind);
    l = await openLedger({ store: inst.stores[0], keepOpen: true });
  });
  afterEach(() => inst.close());

  const req = (body: string) => ({
    method: 'POST',
    query: {},
    headers: { 'content-type': 'application/json' },
    rawBody: Buffer.from(body),
    receivedAt: 0,
  });

  it('one notification ingested at once by three instances, twelve times: one inbox row, applied once, the rest duplicates', async () => {
    const p = await newPayment(l);
    const a = await newAttempt(l, p.id);
    const parsed: ParsedInbound = {
      kind: 'notification',
      dedupeKey: 'evt-1',
      ref: { providerOrderNo: a.providerOrderNo },
      fact: paid(a),
      authenticated: true,
    };
    const outcomes = await concurrently(inst, 12, (store) =>
      store.ingest((tx) =>
        storeInbound(tx, {
          accountId: l.accountId,
          providerName: 'sandbox',
          req: req('{"id":"evt-1"}'),
          parsed,
          attempt: a,
          now: l.clock.now(),
        }),
      ),
    );
    expect(outcomes.filter((o) => !o.duplicate)).to.have.length(1);
    const { providerEvents } = l.db.t;
    const rows = await l.db.select().from(providerEvents).where(eq(providerEvents.dedupeKey, 'evt-1'));
    expect(rows.map((r) => [r.state, r.outcome])).to.deep.equal([['applied', 'applied']]);
    expect((await paymentRow(l, p.id)).status).to.equal('paid');
    expect((await countsFor(l, p)).actions.filter((x) => x === 'paid')).to.have.length(1);
  });

  it('two different notifications of one payment on two instances at once: both stored, the payment moved once', async () => {
    const p = await newPayment(l);
    const a = await newAttempt(l, p.id);
    const outcomes = await concurrently(inst, 2, (store, i) => {
      const parsed: ParsedInbound = { kind: 'notification', dedupeKey: `evt-${i}`, ref: {}, fact: paid(a), authenticated: true };
      return store.ingest((tx) =>
        storeInbound(tx, {
          accountId: l.accountId,
          providerName: 'sandbox',
          req: req(`{"i":${i}}`),
          parsed,
          attempt: a,
          now: l.clock.now(),
        }),
      );
    });
    expect(outcomes.every((o) => !o.duplicate)).to.equal(true);
    const { providerEvents } = l.db.t;
    const rows = await l.db.select().from(providerEvents).where(eq(providerEvents.paymentId, p.id));
    expect(rows.map((r) => r.state).sort()).to.deep.equal(['applied', 'ignored']);
    expect((await countsFor(l, p)).actions.filter((x) => x === 'paid')).to.have.length(1);
  });
});
