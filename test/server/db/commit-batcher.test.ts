import Database from 'better-sqlite3';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCommitBatcher } from '../../../server/db/commit-batcher.ts';
import { openDatabase, type DatabaseHandle } from '../../../server/db/database.ts';
import { leases } from '../../../server/db/schema.ts';
import type { FlushFile } from '../../../server/db/wal-sync.ts';

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

  it('runs the jobs first without savepoints; one failing sends the batch again with a savepoint each, the others committed once', async () => {
    const batcher = createCommitBatcher(database.db);
    const runs = { a: 0, b: 0, c: 0 };
    const results = await Promise.allSettled([
      batcher.run(() => (runs.a++, put('a')())),
      batcher.run(() => {
        runs.b++;
        put('half-written')();
        throw new Error('job failed');
      }),
      batcher.run(() => (runs.c++, put('c')())),
    ]);
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    // a ran before b failed (rolled back with the batch) and again with its savepoint; c only then.
    expect(runs).to.deep.equal({ a: 2, b: 2, c: 1 });
    expect(names(database.sqlite)).to.deep.equal(['a', 'c']);

    const alone = { n: 0 };
    await Promise.all([batcher.run(() => (alone.n++, put('d')())), batcher.run(put('e'))]);
    expect(alone.n, 'a batch where nothing fails runs each job once').to.equal(1);
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

  it('compiles no SQL per job (its transaction statements are kept; only the batch sets its flush level)', async () => {
    const batcher = createCommitBatcher(database.db);
    await batcher.run(put('warm'));
    const original = database.sqlite.prepare.bind(database.sqlite);
    let compiled = 0;
    database.sqlite.prepare = ((source: string) => {
      if (!/^PRAGMA synchronous\b/.test(source)) compiled++;
      return original(source);
    }) as typeof database.sqlite.prepare;
    await Promise.all([batcher.run(() => 1), batcher.run(() => 2)]);
    expect(compiled).to.equal(0);
  });

  describe('the flush to disk, made off the event loop', () => {
    /** A flush the test finishes by hand: the calls made, each waiting for `finish`. */
    function heldFlush() {
      const calls: { fd: number; finish: (err?: Error) => void }[] = [];
      const flushFile: FlushFile = (fd, done) => calls.push({ fd, finish: (err) => done(err ?? null) });
      return { calls, flushFile };
    }
    const settledYet = async (p: Promise<unknown>) => {
      let settled = false;
      void p.then(
        () => (settled = true),
        () => (settled = true),
      );
      await new Promise((r) => setImmediate(r));
      return settled;
    };

    it('answers a job only once the WAL it committed to has been flushed, never at COMMIT', async () => {
      const { calls, flushFile } = heldFlush();
      const batcher = createCommitBatcher(database.db, { flushFile });
      const job = batcher.run(put('a'));
      expect(await settledYet(job), 'answered before the flush').to.equal(false);
      expect(calls).to.have.length(1);
      expect(names(database.sqlite), 'committed meanwhile').to.deep.equal(['a']);
      calls[0].finish();
      await job;
    });

    it('commits the batch with synchronous = NORMAL and gives the connection back its FULL for every other transaction', async () => {
      const batcher = createCommitBatcher(database.db);
      const inBatch = await batcher.run(() => database.sqlite.pragma('synchronous', { simple: true }));
      expect(inBatch).to.equal(1);
      expect(database.sqlite.pragma('synchronous', { simple: true })).to.equal(2);
    });

    it('fails the jobs of a batch whose flush failed, so none of them is acknowledged', async () => {
      const { calls, flushFile } = heldFlush();
      const batcher = createCommitBatcher(database.db, { flushFile });
      const job = batcher.run(put('a'));
      await new Promise((r) => setImmediate(r));
      calls[0].finish(new Error('EIO'));
      const [outcome] = await Promise.allSettled([job]);
      expect(outcome.status).to.equal('rejected');
      expect(String((outcome as PromiseRejectedResult).reason)).to.contain('EIO');
    });

    it('holds work that arrives while the disk flushes and commits it together once the flush ends, with one flush for all of it', async () => {
      const { calls, flushFile } = heldFlush();
      const batcher = createCommitBatcher(database.db, { flushFile });
      const first = batcher.run(put('a'));
      await new Promise((r) => setImmediate(r));
      const later = [batcher.run(put('b'))];
      await new Promise((r) => setImmediate(r));
      later.push(batcher.run(put('c')));
      await new Promise((r) => setImmediate(r));
      expect(calls, 'nothing else flushed meanwhile').to.have.length(1);
      expect(names(database.sqlite), 'b and c wait uncommitted for the flush of a').to.deep.equal(['a']);
      calls[0].finish();
      await first;
      await new Promise((r) => setImmediate(r));
      expect(names(database.sqlite), 'then committed together').to.deep.equal(['a', 'b', 'c']);
      expect(await settledYet(Promise.all(later)), 'not answered before their own flush').to.equal(false);
      expect(calls).to.have.length(2);
      calls[1].finish();
      await Promise.all(later);
    });

    it('flushes the WAL file itself, and nothing for a database in memory', async () => {
      const { calls, flushFile } = heldFlush();
      const batcher = createCommitBatcher(database.db, { flushFile });
      const job = batcher.run(put('a'));
      await new Promise((r) => setImmediate(r));
      const { fstatSync, statSync } = await import('node:fs');
      expect(fstatSync(calls[0].fd).ino).to.equal(statSync(join(dir, 'dramlink.db-wal')).ino);
      calls[0].finish();
      await job;

      const memory = openDatabase(':memory:');
      try {
        const inMemory = heldFlush();
        await createCommitBatcher(memory.db, { flushFile: inMemory.flushFile }).run(() => 1);
        expect(inMemory.calls).to.have.length(0);
      } finally {
        memory.close();
      }
    });
  });
});
