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
import { openDatabase, type DatabaseHandle } from '../../../server/db/database.ts';
import { accounts, exceptions } from '../../../server/db/schema.ts';

const NOW = Date.UTC(2026, 0, 15, 10, 0, 0);
const ID = 4242;

describe('account state changes: shared through the row, the account in hand follows', () => {
  let database: DatabaseHandle;
  beforeEach(() => {
    database = openDatabase(':memory:');
    database.db.transaction((tx) =>
      recordInstall(tx, { id: ID, subdomain: 'shop', baseDomain: 'amocrm.ru', name: null, installedBy: 5 }, NOW),
    );
  });
  afterEach(() => database.close());

  const row = () => database.db.select().from(accounts).where(eq(accounts.id, ID)).get()!;
  const openKinds = () =>
    database.db
      .select()
      .from(exceptions)
      .all()
      .filter((e) => e.resolvedAt === null)
      .map((e) => e.kind);

  it('a 403 blocks the row and the copy in hand at once, with one exception, however often it is reported', () => {
    const inHand = findAccount(database.db, ID)!;
    const other = findAccount(database.db, ID)!;
    expect(
      markBlocked(database.db, inHand, { detail: 'GET /api/v4/leads answered 403', now: NOW, cooldownMs: BLOCK_COOLDOWN_MS }),
    ).to.equal(true);
    expect(inHand.state).to.equal('blocked');
    expect(inHand.blockedUntil).to.equal(NOW + BLOCK_COOLDOWN_MS);
    expect(row().state).to.equal('blocked');
    expect(other.state, 'another request read the account before the block').to.equal('active');
    markBlocked(database.db, other, { detail: 'again', now: NOW + 1, cooldownMs: BLOCK_COOLDOWN_MS });
    expect(openKinds()).to.deep.equal(['account_blocked']);
  });

  it('after the cool-down exactly one of two readers (two processes) wins the probe', () => {
    const a = findAccount(database.db, ID)!;
    markBlocked(database.db, a, { detail: '403', now: NOW, cooldownMs: BLOCK_COOLDOWN_MS });
    const later = NOW + BLOCK_COOLDOWN_MS;
    const [first, second] = [findAccount(database.db, ID)!, findAccount(database.db, ID)!];
    expect([
      claimProbe(database.db, first, later, BLOCK_COOLDOWN_MS),
      claimProbe(database.db, second, later, BLOCK_COOLDOWN_MS),
    ]).to.deep.equal([true, false]);
    expect(second.blockedUntil, 'the loser waits another cool-down').to.equal(later + BLOCK_COOLDOWN_MS);
    expect(markUnblocked(database.db, first, later)).to.equal(true);
    expect(first.state).to.equal('active');
    expect(openKinds()).to.deep.equal([]);
  });

  it('a refused refresh token stops the account until an install, which makes it active again and resolves the exception', () => {
    const a = findAccount(database.db, ID)!;
    expect(markNeedsReconnect(database.db, a, { detail: 'refresh refused', now: NOW })).to.equal(true);
    expect(a.state).to.equal('needs_reconnect');
    expect(openKinds()).to.deep.equal(['account_needs_reconnect']);
    expect(
      markBlocked(database.db, a, { detail: '403', now: NOW, cooldownMs: BLOCK_COOLDOWN_MS }),
      'a 403 does not hide that it needs reconnect',
    ).to.equal(false);
    const { reinstalled } = database.db.transaction((tx) =>
      recordInstall(tx, { id: ID, subdomain: 'shop', baseDomain: 'amocrm.ru', name: 'Shop', installedBy: 5 }, NOW + 1),
    );
    expect(reinstalled).to.equal(true);
    expect(row().state).to.equal('active');
    expect(openKinds()).to.deep.equal([]);
  });

  it('a reinstall does not lift an amoCRM block that is still cooling down', () => {
    markBlocked(database.db, findAccount(database.db, ID)!, { detail: '403', now: NOW, cooldownMs: BLOCK_COOLDOWN_MS });
    database.db.transaction((tx) =>
      recordInstall(tx, { id: ID, subdomain: 'shop', baseDomain: 'amocrm.ru', name: null, installedBy: 5 }, NOW + 1),
    );
    expect(row().state).to.equal('blocked');
  });

  it('a disconnect says whether it changed anything: not for an unknown account, not twice', () => {
    expect(database.db.transaction((tx) => markDisconnected(tx, 999, NOW))).to.equal(false);
    expect(database.db.transaction((tx) => markDisconnected(tx, ID, NOW))).to.equal(true);
    expect(database.db.transaction((tx) => markDisconnected(tx, ID, NOW))).to.equal(false);
    expect(row().state).to.equal('disconnected');
  });
});
