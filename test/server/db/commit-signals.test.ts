import Database from 'better-sqlite3';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCommitBatcher } from '../../../server/db/commit-batcher.ts';
import { signalOnCommit, subscribeCommits } from '../../../server/db/commit-signals.ts';
import { openDatabase, type DatabaseHandle } from '../../../server/db/database.ts';
import { leases } from '../../../server/db/schema.ts';

describe('server/db commit signals: delivered after the commit, dropped with a rollback', () => {
  let dir: string;
  let path: string;
  let database: DatabaseHandle;
  let other: Database.Database;
  let seen: Array<{ accountId: number; visibleElsewhere: boolean }>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dramlink-signals-'));
    path = join(dir, 'dramlink.db');
    database = openDatabase(path);
    seen = [];
    // A second connection sees only committed rows: the listener proves the commit happened before it ran.
    other = new Database(path, { readonly: true });
    subscribeCommits(database.sqlite, (s) => {
      const row = other.prepare('SELECT 1 FROM leases WHERE name = ?').get(`l${s.accountId}`);
      seen.push({ accountId: s.accountId, visibleElsewhere: row !== undefined });
    });
  });
  afterEach(() => {
    other.close();
    database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (accountId: number) => {
    database.db
      .insert(leases)
      .values({ name: `l${accountId}`, holder: 'h', expiresAt: 1 })
      .run();
    signalOnCommit(database.db, { topic: 'outbox', accountId });
  };

  it('delivers a signal raised in a transaction only after it commits, once per account', () => {
    database.db.transaction(() => {
      write(1);
      signalOnCommit(database.db, { topic: 'outbox', accountId: 1 });
      expect(seen).to.deep.equal([]);
    });
    expect(seen).to.deep.equal([{ accountId: 1, visibleElsewhere: true }]);
  });

  it('delivers nothing for a transaction that rolls back', () => {
    expect(() =>
      database.db.transaction(() => {
        write(2);
        throw new Error('rolled back');
      }),
    ).to.throw('rolled back');
    expect(seen).to.deep.equal([]);
  });

  it('delivers at once for a statement outside any transaction (it has committed)', () => {
    write(3);
    expect(seen).to.deep.equal([{ accountId: 3, visibleElsewhere: true }]);
  });

  it('in a group commit, drops the signal of the job whose savepoint rolled back and delivers the others after the commit', async () => {
    const batcher = createCommitBatcher(database.db);
    const results = await Promise.allSettled([
      batcher.run(() => write(4)),
      batcher.run(() => {
        write(5);
        throw new Error('job failed');
      }),
      batcher.run(() => write(6)),
    ]);
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    expect(seen).to.deep.equal([
      { accountId: 4, visibleElsewhere: true },
      { accountId: 6, visibleElsewhere: true },
    ]);
  });

  it('keeps a listener failure away from the writer: the commit stands and the call succeeds', () => {
    subscribeCommits(database.sqlite, () => {
      throw new Error('listener broke');
    });
    expect(() => database.db.transaction(() => write(7))).not.to.throw();
    expect(seen).to.deep.equal([{ accountId: 7, visibleElsewhere: true }]);
  });
});
