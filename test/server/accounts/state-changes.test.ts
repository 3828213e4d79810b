import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { findAccount, recordInstall } from '../../../server/accounts/account-store.ts';
import {
  BLOCK_COOLDOWN_MS,
  claimProbe,
  markBlocked,
  markDisconnected,
  markNeedsReconnect,
  markUnblocked,
} from '../../../server/accounts/state-changes.ts';
import type { Store } from '../../../server/db/store.ts';
import type { Tx } from '../../../server/db/tx.ts';
import { describeStores, openTestStore, txOf } from '../../support/stores.ts';

const NOW = Date.UTC(2026, 0, 15, 10, 0, 0);
const ID = 4242;

describeStores('account state changes: shared through the row, the account in hand follows', (kind) => {
  let store: Store;
  let db: Tx;
  beforeEach(async () => {
    store = await openTestStore(kind);
    db = await txOf(store);
    await store.transaction((tx) =>
      recordInstall(tx, { id: ID, subdomain: 'shop', baseDomain: 'amocrm.ru', name: null, installedBy: 5 }, NOW),
    );
  });
  afterEach(() => store.close());

  const row = async () => (await db.select().from(db.t.accounts).where(eq(db.t.accounts.id, ID)))[0];
  const openKinds = async () =>
    (await db.select().from(db.t.exceptions).orderBy(db.t.exceptions.id)).filter((e) => e.resolvedAt === null).map((e) => e.kind);
  const find = async () => (await store.run((tx) => findAccount(tx, ID)))!;

  it('a 403 blocks the row and the copy in hand at once, with one exception, however often it is reported', async () => {
    const inHand = await find();
    const other = await find();
    expect(
      await markBlocked(store, inHand, { detail: 'GET /api/v4/leads answered 403', now: NOW, cooldownMs: BLOCK_COOLDOWN_MS }),
    ).to.equal(true);
    expect(inHand.state).to.equal('blocked');
    expect(inHand.blockedUntil).to.equal(NOW + BLOCK_COOLDOWN_MS);
    expect((await row()).state).to.equal('blocked');
    expect(other.state, 'another request read the account before the block').to.equal('active');
    await markBlocked(store, other, { detail: 'again', now: NOW + 1, cooldownMs: BLOCK_COOLDOWN_MS });
    expect(await openKinds()).to.deep.equal(['account_blocked']);
  });

  it('after the cool-down exactly one of two readers (two processes) wins the probe', async () => {
    const a = await find();
    await markBlocked(store, a, { detail: '403', now: NOW, cooldownMs: BLOCK_COOLDOWN_MS });
    const later = NOW + BLOCK_COOLDOWN_MS;
    const [first, second] = [await find(), await find()];
    expect([
      await claimProbe(store, first, later, BLOCK_COOLDOWN_MS),
      await claimProbe(store, second, later, BLOCK_COOLDOWN_MS),
    ]).to.deep.equal([true, false]);
    expect(second.blockedUntil, 'the loser waits another cool-down').to.equal(later + BLOCK_COOLDOWN_MS);
    expect(await markUnblocked(store, first, later)).to.equal(true);
    expect(first.state).to.equal('active');
    expect(await openKinds()).to.deep.equal([]);
  });

  it('a refused refresh token stops the account until an install, which makes it active again and resolves the exception', async () => {
    const a = await find();
    expect(await markNeedsReconnect(store, a, { detail: 'refresh refused', now: NOW })).to.equal(true);
    expect(a.state).to.equal('needs_reconnect');
    expect(await openKinds()).to.deep.equal(['account_needs_reconnect']);
    expect(
      await markBlocked(store, a, { detail: '403', now: NOW, cooldownMs: BLOCK_COOLDOWN_MS }),
      'a 403 does not hide that it needs reconnect',
    ).to.equal(false);
    const { reinstalled } = await store.transaction((tx) =>
      recordInstall(tx, { id: ID, subdomain: 'shop', baseDomain: 'amocrm.ru', name: 'Shop', installedBy: 5 }, NOW + 1),
    );
    expect(reinstalled).to.equal(true);
    expect((await row()).state).to.equal('active');
    expect(await openKinds()).to.deep.equal([]);
  });

  it('a reinstall does not lift an amoCRM block that is still cooling down', async () => {
    await markBlocked(store, await find(), { detail: '403', now: NOW, cooldownMs: BLOCK_COOLDOWN_MS });
    await store.transaction((tx) =>
      recordInstall(tx, { id: ID, subdomain: 'shop', baseDomain: 'amocrm.ru', name: null, installedBy: 5 }, NOW + 1),
    );
    expect((await row()).state).to.equal('blocked');
  });

  it('a disconnect says whether it changed anything: not for an unknown account, not twice', async () => {
    expect(await store.transaction((tx) => markDisconnected(tx, 999, NOW))).to.equal(false);
    expect(await store.transaction((tx) => markDisconnected(tx, ID, NOW))).to.equal(true);
    expect(await store.transaction((tx) => markDisconnected(tx, ID, NOW))).to.equal(false);
    expect((await row()).state).to.equal('disconnected');
  });
});
