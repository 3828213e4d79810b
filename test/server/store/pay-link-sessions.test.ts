import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Store } from '../../../server/db/store.ts';
import { describeStores } from '../../support/stores.ts';
import { seedAccount, startTestApp, type TestApp } from '../../support/test-app.ts';
import { choose, newPayment } from '../pay-page/pay-page-fixture.ts';
import { openInstances, type Instances } from './instances.ts';

/** The instance's store, left open when its app closes (the instances close them). */
const borrowed = (store: Store): Store => ({ ...store, dialect: store.dialect, location: store.location, close: async () => undefined });

describeStores('store conformance: pay-link sessions, one provider session for clicks on several instances', (kind) => {
  let inst: Instances;
  let apps: TestApp[];
  beforeEach(async () => {
    inst = await openInstances(kind);
    const env = { SECRETS_KEY: randomBytes(32).toString('base64') };
    apps = [];
    for (const store of inst.stores) apps.push(await startTestApp({ store: borrowed(store), env }));
  });
  afterEach(async () => {
    for (const t of apps) await t.close();
    await inst.close();
  });

  it('six customers clicking "Pay" at once on three instances get the same checkout, and one attempt is opened', async () => {
    const accountId = await seedAccount(apps[0]);
    const p = await newPayment(apps[0], accountId);
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => choose(apps[i % 3], p.linkToken, 'sandbox')));
    expect(replies.map((r) => r.status)).to.deep.equal(Array(6).fill(303));
    const { db } = apps[1];
    const attempts = await db.select().from(db.t.attempts).where(eq(db.t.attempts.paymentId, p.id));
    expect(attempts).to.have.length(1);
    expect(new Set(replies.map((r) => r.headers.get('location'))).size, 'one checkout URL').to.equal(1);
  });
});
