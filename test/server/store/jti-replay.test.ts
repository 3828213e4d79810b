import { expect } from 'chai';
import { systemClock } from '../../../server/platform/clock.ts';
import { createJtiStore } from '../../../server/widget-api/auth/replay.ts';
import { describeStores } from '../../support/stores.ts';
import { concurrently, openInstances, type Instances } from './instances.ts';

describeStores('store conformance: disposable-token ids (jti) seen by every instance', (kind) => {
  let inst: Instances;
  beforeEach(async () => {
    inst = await openInstances(kind);
  });
  afterEach(() => inst.close());

  it('one token id presented at once to three instances nine times: first once, reused once, then reused again', async () => {
    const jtis = inst.stores.map((store) => createJtiStore({ store, clock: systemClock }));
    const input = { jti: 'jti-1', expiresAtMs: Date.now() + 60_000, accountId: 1, userId: 7, countReuse: true };
    const uses = await concurrently(inst, 9, (_s, i) => jtis[i % 3].consume(input));
    expect(uses.filter((u) => u === 'first')).to.have.length(1);
    expect(uses.filter((u) => u === 'reused')).to.have.length(1);
    expect(uses.filter((u) => u === 'reused_again')).to.have.length(7);
  });

  it("an id seen in one account's token is foreign to another account on any instance, and a refused reuse writes nothing", async () => {
    const [a, b, c] = inst.stores.map((store) => createJtiStore({ store, clock: systemClock }));
    const base = { jti: 'jti-2', expiresAtMs: Date.now() + 60_000, userId: 7 };
    expect(await a.consume({ ...base, accountId: 1, countReuse: true })).to.equal('first');
    expect(await b.consume({ ...base, accountId: 2, countReuse: true })).to.equal('foreign');
    expect(await c.consume({ ...base, accountId: 1, countReuse: false })).to.equal('reused');
    expect(await b.consume({ ...base, accountId: 1, countReuse: false }), 'the refused one was not counted').to.equal('reused');
  });
});
