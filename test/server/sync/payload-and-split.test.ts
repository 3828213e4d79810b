import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import type { Store } from '../../../server/db/store.ts';
import type { Tx } from '../../../server/db/tx.ts';
import { createPayment } from '../../../server/payments/create-payment.ts';
import { ManualClock } from '../../../server/platform/clock.ts';
import { chunk, sendSplitting } from '../../../server/sync/batch-split.ts';
import { buildLeadPatch, type LeadPatchTarget } from '../../../server/sync/lead-update-payload.ts';
import { describeStores, openTestStore, txOf } from '../../support/stores.ts';

describeStores('lead update payload', (kind) => {
  let store: Store;
  let db: Tx;
  const clock = new ManualClock(Date.UTC(2026, 0, 15, 10, 0, 0));
  const ctx: LeadPatchTarget = {
    accountId: 1,
    fieldIds: {
      DRAMLINK_STATUS: { id: 10, enums: { awaiting_payment: 101, paid: 102, manual_review: 105 } },
      DRAMLINK_AMOUNT: { id: 11 },
      DRAMLINK_CURRENCY: { id: 12 },
      DRAMLINK_PAID_AT: { id: 13 },
      DRAMLINK_PROVIDER_REF: { id: 14 },
    },
    stageMapping: { paid: { pipelineId: 7, statusId: 142 } },
  };
  beforeEach(async () => {
    store = await openTestStore(kind);
    db = await txOf(store);
    await db.insert(db.t.accounts).values({ id: 1, subdomain: 's', baseDomain: 'amocrm.ru', state: 'active', createdAt: 0, updatedAt: 0 });
  });
  afterEach(() => store.close());
  const patch = (leadId: number, opts?: Parameters<typeof buildLeadPatch>[4]) =>
    store.run((tx) => buildLeadPatch(tx, ctx, leadId, 'https://p', opts));

  const pay = (leadId: number, amountMinor: number) =>
    createPayment(
      { store, clock },
      {
        accountId: 1,
        leadId,
        amountMinor,
        currency: 'USD',
        providers: ['sandbox'],
        expiresInHours: 1,
        createdBy: 'u',
        publicUrl: 'https://p',
      },
    );

  it('is undefined for a lead without payments (nothing to write)', async () => {
    expect(await patch(99)).to.equal(undefined);
  });

  it("writes the newest payment's fields, enum ids where known, field codes where not, and clears what is unset", async () => {
    const p = await pay(5, 12345);
    const { item, status } = (await patch(5))!;
    expect(status).to.equal('awaiting_payment');
    expect(item.id).to.equal(5);
    expect(item.custom_fields_values).to.deep.equal([
      { field_id: 10, values: [{ enum_id: 101 }] },
      { field_id: 11, values: [{ value: '123.45' }] },
      { field_id: 12, values: [{ value: 'USD' }] },
      { field_id: 13, values: null },
      { field_id: 14, values: null },
      { field_code: 'DRAMLINK_LINK', values: [{ value: `https://p/pay/${p.linkToken}` }] },
    ]);
    expect(item).not.to.have.property('status_id');
  });

  it('shows manual review when any payment of the lead needs it, and moves the stage only on a new status', async () => {
    const { payments } = db.t;
    const older = await pay(6, 100);
    clock.advance(1000);
    await pay(6, 200);
    await db.update(payments).set({ reviewReason: 'double_payment', reviewSince: clock.now() }).where(eq(payments.id, older.id));
    expect((await patch(6))!.status).to.equal('manual_review');
    await db.update(payments).set({ reviewReason: null });
    await db.update(payments).set({ status: 'paid', paidAt: 1_768_471_200_000, providerRef: 'R1' }).where(eq(payments.amountMinor, 200));
    const paid = (await patch(6))!;
    expect(paid.status).to.equal('paid');
    expect(paid.item).to.include({ pipeline_id: 7, status_id: 142 });
    expect(paid.item.custom_fields_values[3]).to.deep.equal({ field_id: 13, values: [{ value: 1_768_471_200 }] });
    expect((await patch(6, { lastSyncedStatus: 'paid' }))!.item).not.to.have.property('status_id');
  });
});

describe('batch split', () => {
  it('isolates bad items in about 2·log2(n) extra requests and lets the rest through', async () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const bad = new Set([7, 31]);
    let requests = 0;
    const outcomes = await sendSplitting(
      items,
      async (part) => {
        requests++;
        if (part.some((i) => bad.has(i))) throw new Error('400');
      },
      () => true,
    );
    const rejected = outcomes.filter((o) => !o.ok).flatMap((o) => o.jobs);
    const sent = outcomes.filter((o) => o.ok).flatMap((o) => o.jobs);
    expect(rejected.sort((a, b) => a - b)).to.deep.equal([7, 31]);
    expect(sent).to.have.length(48);
    expect(requests).to.be.at.most(1 + 2 * 2 * Math.ceil(Math.log2(50)));
  });

  it('does not split on a failure that is not a rejection', async () => {
    const outcomes = await sendSplitting(
      [1, 2, 3],
      async () => {
        throw new Error('503');
      },
      () => false,
    );
    expect(outcomes).to.deep.equal([{ jobs: [1, 2, 3], ok: false, rejected: false, error: new Error('503') }]);
  });

  it('chunks by the batch size', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).to.deep.equal([[1, 2], [3, 4], [5]]);
  });
});
