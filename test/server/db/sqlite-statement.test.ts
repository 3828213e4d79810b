import { expect } from 'chai';
import { and, eq, sql } from 'drizzle-orm';
import { openDatabase, type DatabaseHandle } from '../../../server/db/database.ts';
import { accounts, providerEvents, syncJobs } from '../../../server/db/schema.ts';
import { hotStatement } from '../../../server/db/sqlite-statement.ts';
import { runSync } from '../../../server/db/step.ts';
import { sqliteTx } from '../../../server/db/sqlite-store.ts';

describe('server/db hot statements: kept SQLite statements run on better-sqlite3 with the rows drizzle would give', () => {
  let database: DatabaseHandle;
  beforeEach(() => {
    database = openDatabase(':memory:');
    database.db
      .insert(accounts)
      .values({ id: 1, subdomain: 's', baseDomain: 'amocrm.ru', state: 'active', createdAt: 0, updatedAt: 0 })
      .run();
  });
  afterEach(() => database.close());

  const row = (dedupeKey: string, authenticated: boolean) => ({
    accountId: 1,
    provider: 'sandbox',
    dedupeKey,
    kind: 'notification' as const,
    authenticated,
    raw: '{}',
    fact: null,
    state: 'applied' as const,
    receivedAt: 5,
  });
  const byKey = () =>
    database.db
      .select()
      .from(providerEvents)
      .where(and(eq(providerEvents.accountId, sql.placeholder('accountId')), eq(providerEvents.dedupeKey, sql.placeholder('key'))))
      .prepare();

  it('reads a row with the same keys and decoded values (booleans, nulls) as drizzle', () => {
    database.db
      .insert(providerEvents)
      .values([row('a', true), row('b', false)])
      .run();
    const hot = hotStatement(byKey())!;
    expect(hot, 'a plain select is taken').to.not.equal(undefined);
    for (const key of ['a', 'b', 'none']) {
      expect(hot.get({ accountId: 1, key })).to.deep.equal(byKey().get({ accountId: 1, key }));
      expect(hot.all({ accountId: 1, key })).to.deep.equal(byKey().all({ accountId: 1, key }));
    }
    expect((hot.get({ accountId: 1, key: 'a' }) as { authenticated: unknown }).authenticated).to.equal(true);
  });

  it('writes through placeholders and constants, and RETURNING gives the keys asked for', () => {
    const insert = hotStatement(
      database.db
        .insert(syncJobs)
        .values({
          accountId: sql.placeholder('accountId'),
          kind: 'note',
          leadId: 7,
          dedupeKey: sql.placeholder('key'),
          state: 'pending',
          nextRunAt: 0,
          createdAt: 0,
          updatedAt: 0,
        })
        .onConflictDoNothing()
        .returning({ jobId: syncJobs.id })
        .prepare(),
    )!;
    expect(insert.get({ accountId: 1, key: 'k1' })).to.deep.equal({ jobId: 1 });
    expect(insert.get({ accountId: 1, key: 'k1' }), 'a conflict returns no row').to.equal(undefined);
    const update = hotStatement(
      database.db
        .update(syncJobs)
        .set({ leadId: 8 })
        .where(eq(syncJobs.dedupeKey, sql.placeholder('key')))
        .prepare(),
    )!;
    expect(update.run({ key: 'k1' }).changes).to.equal(1);
    expect(database.db.select({ leadId: syncJobs.leadId }).from(syncJobs).all()).to.deep.equal([{ leadId: 8 }]);
  });

  it('refuses to run without a value for a placeholder, as drizzle does', () => {
    expect(() => hotStatement(byKey())!.get({ accountId: 1 })).to.throw('No value for placeholder "key"');
  });

  it('leaves a query with nested result keys (a join) to drizzle', () => {
    const joined = database.db
      .select({ event: { id: providerEvents.id }, account: { id: accounts.id } })
      .from(providerEvents)
      .innerJoin(accounts, eq(accounts.id, providerEvents.accountId))
      .prepare();
    expect(hotStatement(joined)).to.equal(undefined);
  });

  it('is what the SQLite Tx keeps for a prepared statement', () => {
    const tx = sqliteTx(database.db);
    database.db.insert(providerEvents).values(row('a', true)).run();
    const kept = tx.prepared('test.byKey', byKey);
    expect(kept.constructor.name, 'not drizzle’s prepared query').to.equal('Object');
    expect(runSync(tx.get(kept, { accountId: 1, key: 'a' }))).to.deep.include({ dedupeKey: 'a', authenticated: true });
  });
});
