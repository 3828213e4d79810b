import Database from 'better-sqlite3';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCommitBatcher } from '../../../server/db/commit-batcher.ts';
import { openDatabase, type DatabaseHandle } from '../../../server/db/database.ts';
import { leases } from '../../../server/db/schema.ts';

describe('server/db commitBatcher: group commit with a savepoint per job', () => {
  let dir: string;
  let database: DatabaseHandle;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dramlink-batcher-'));
    database = openDatabase(join(dir, 'dramlink.db'));
  });
  afterEach(() => {
    database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const put = (name: string) => () => database.db.insert(leases).values({ name, holder: 'h', expiresAt: 1 }).run();
  const names = (sqlite: Database.Database) =>
    (sqlite.prepare('SELECT name FROM leases ORDER BY name').all() as { name: string }[]).map((r) => r.name);

  it('undoes only the job that failed and commits the others of the same batch', async () => {
    const batcher = createCommitBatcher(database.db);
    const results = await Promise.allSettled([
      batcher.run(put('a')),
      batcher.run(() => {
        put('half-written')();
        throw new Error('job failed');
      }),
      batcher.run(put('c')),
    ]);
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    expect(names(database.sqlite)).to.deep.equal(['a', 'c']);
  });

  it('runs the jobs of one event-loop turn in one transaction and resolves each only once it is durable', async () => {
    const batcher = createCommitBatcher(database.db);
    const seenInTransaction: boolean[] = [];
    const other = new Database(join(dir, 'dramlink.db'), { readonly: true });
    try {
      const jobs = ['x', 'y'].map((name) =>
        batcher.run(() => {
          seenInTransaction.push(database.sqlite.inTransaction);
          put(name)();
          // Not committed yet: another connection must not see it.
          return names(other).includes(name);
        }),
      );
      expect(await Promise.all(jobs)).to.deep.equal([false, false]);
      expect(seenInTransaction).to.deep.equal([true, true]);
      expect(names(other), 'visible to another connection once resolved').to.deep.equal(['x', 'y']);
    } finally {
      other.close();
    }
  });

  it('compiles no SQL per job (its transaction statements are kept)', async () => {
    const batcher = createCommitBatcher(database.db);
    await batcher.run(put('warm'));
    const original = database.sqlite.prepare.bind(database.sqlite);
    let compiled = 0;
    database.sqlite.prepare = ((source: string) => {
      compiled++;
      return original(source);
    }) as typeof database.sqlite.prepare;
    await Promise.all([batcher.run(() => 1), batcher.run(() => 2)]);
    expect(compiled).to.equal(0);
  });
});
