import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { findAccount, recordInstall } from '../../../server/accounts/account-store.ts';
import { readTokens, writeTokens } from '../../../server/amocrm/token-store.ts';
import { createSecretBox } from '../../../server/crypto/secret-box.ts';
import { txOf, describeStores } from '../../support/stores.ts';
import { concurrently, openInstances, type Instances } from './instances.ts';

describeStores('store conformance: accounts and tokens across instances', (kind) => {
  let inst: Instances;
  beforeEach(async () => {
    inst = await openInstances(kind);
  });
  afterEach(() => inst.close());
  const now = Date.UTC(2026, 0, 15);
  const account = { id: 4242, subdomain: 'shop', baseDomain: 'amocrm.ru', name: 'Shop', installedBy: 7 };

  it('six installs of a new account at once on three instances: one row, active, every install answered', async () => {
    const results = await concurrently(inst, 6, (store) => store.transaction((tx) => recordInstall(tx, account, now)));
    expect(results).to.have.length(6);
    const db = await txOf(inst.at(0));
    const rows = await db.select().from(db.t.accounts).where(eq(db.t.accounts.id, account.id));
    expect(rows).to.have.length(1);
    expect(rows[0].state).to.equal('active');
    expect((await inst.at(2).run((tx) => findAccount(tx, account.id)))!.subdomain).to.equal('shop');
  });

  it('ten token writes at once on three instances: ten distinct versions, and every instance reads the last one', async () => {
    await inst.at(0).transaction((tx) => recordInstall(tx, account, now));
    const box = createSecretBox(randomBytes(32));
    const versions = await concurrently(inst, 10, (store, i) =>
      store.transaction((tx) => writeTokens(tx, box, account.id, { accessToken: `a${i}`, refreshToken: `r${i}`, expiresIn: 86_400 }, now)),
    );
    expect([...versions].sort((a, b) => a - b)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const last = versions.indexOf(10);
    for (const store of inst.stores) {
      const read = await store.run((tx) => readTokens(tx, box, account.id));
      expect([read!.accessToken, read!.version]).to.deep.equal([`a${last}`, 10]);
    }
  });
});
