import { expect } from 'chai';
import { claimJobs, markDead, markDone } from '../../../server/sync/job-store.ts';
import { queueLeadUpdate } from '../../../server/sync/outbox.ts';
import { describeStores } from '../../support/stores.ts';
import { openLedger, type Ledger } from '../payments/ledger-fixture.ts';
import { concurrently, openInstances, type Instances } from './instances.ts';

describeStores('store conformance: sync jobs claimed once (SKIP LOCKED), a dead claim taken over', (kind) => {
  let inst: Instances;
  let l: Ledger;
  beforeEach(async () => {
    inst = await openInstances(kind);
    l = await openLedger({ store: inst.stores[0], keepOpen: true });
    const now = l.clock.now();
    await l.store.transaction(function* (tx) {
      for (let lead = 1; lead <= 30; lead++) yield* queueLeadUpdate(tx, { accountId: l.accountId, leadId: lead, now });
    });
  });
  afterEach(() => inst.close());

  const claim = (i: number, now: number, claimMs = 60_000) =>
    claimJobs(inst.at(i), { accountId: l.accountId, kind: 'lead_update', limit: 4, now, claimMs });

  it('nine workers on three instances claiming at once never get the same job, and between them get them all', async () => {
    const now = l.clock.now();
    const batches = await concurrently(inst, 9, (_s, i) => claim(i, now));
    const ids = batches.flat().map((j) => j.row.id);
    expect(new Set(ids).size, 'no job claimed twice').to.equal(ids.length);
    // Whatever a claimer skipped (locked by another) is still there for the next pass.
    const rest = await claim(0, now);
    const more = await claim(1, now);
    const all = [...ids, ...rest.map((j) => j.row.id), ...more.map((j) => j.row.id)];
    expect(new Set(all).size).to.equal(all.length);
    expect(all.length).to.be.at.most(30);
  });

  it("a crashed instance's claim expires and another instance takes the job over, once", async () => {
    const now = l.clock.now();
    const dead = await claim(0, now, 1_000);
    expect(dead).to.have.length(4);
    const deadIds = new Set(dead.map((j) => j.row.id));
    const early = await claim(1, now + 999);
    expect(
      early.filter((j) => deadIds.has(j.row.id)),
      'still claimed until it expires',
    ).to.deep.equal([]);
    await markDone(inst.at(1), early, now + 999);
    const taken = await concurrently(inst, 3, (_s, i) => claim(i, now + 100_000, 60_000));
    const takenOver = taken.flat().filter((j) => deadIds.has(j.row.id));
    expect(takenOver.map((j) => j.row.id).sort()).to.deep.equal([...deadIds].sort());
    expect(takenOver.every((j) => j.previousState === 'in_flight')).to.equal(true);
    await markDone(inst.at(2), takenOver, now + 100_001);
    const after = await claim(0, now + 200_000);
    expect(
      after.filter((j) => deadIds.has(j.row.id)),
      'done: never claimed again',
    ).to.deep.equal([]);
  });

  /** Instance 0 claims four lead jobs; a newer state of the first one's lead is queued on instance 1. */
  async function claimThenRearm(now: number) {
    const first = await claim(0, now);
    const lead = first[0].row.leadId;
    await inst.at(1).transaction(function* (tx) {
      yield* queueLeadUpdate(tx, { accountId: l.accountId, leadId: lead, now: now + 1 });
    });
    return { first, lead };
  }

  it('a lead job re-armed while in flight is not claimed by a second worker, and is sent again after the first one finishes', async () => {
    // Two writers of one lead at once could land out of order: an older "Awaiting payment" after a newer "Paid".
    const now = l.clock.now();
    const { first, lead } = await claimThenRearm(now);
    const meanwhile = await concurrently(inst, 3, (_s, i) =>
      claimJobs(inst.at(i), { accountId: l.accountId, kind: 'lead_update', limit: 100, now: now + 2, claimMs: 60_000 }),
    );
    expect(
      meanwhile.flat().filter((j) => j.row.leadId === lead),
      'claimed by a second worker while the first still holds it',
    ).to.deep.equal([]);
    await markDone(inst.at(0), first, now + 3);
    const again = await claim(2, now + 4);
    expect(
      again.map((j) => j.row.leadId),
      'the newer state waits to be sent',
    ).to.deep.equal([lead]);
    expect(again[0].generation).to.equal(first[0].generation + 1);
    await markDone(inst.at(2), again, now + 5);
    expect(await claim(0, now + 6)).to.deep.equal([]);
  });

  it('a rejected lead job re-armed while in flight is not buried as a dead letter: its newer state is sent', async () => {
    const now = l.clock.now();
    const { first, lead } = await claimThenRearm(now);
    await markDead(inst.at(0), first[0], { now: now + 2, error: 'amocrm_validation_failed' });
    const again = await claim(1, now + 3);
    expect(again.map((j) => j.row.leadId)).to.include(lead);
  });
});
