import { expect } from 'chai';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../../server/db/database.ts';

const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);

describe('server/db: the database files are readable by the server user only', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dramlink-perm-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the file, its WAL and shared memory 0600 in a folder created 0700, whatever the umask', () => {
    const previous = process.umask(0o000);
    try {
      const path = join(dir, 'data', 'dramlink.db');
      const h = openDatabase(path);
      h.sqlite.prepare('CREATE TABLE probe (x)').run();
      h.sqlite.prepare('INSERT INTO probe VALUES (1)').run();
      const files = readdirSync(join(dir, 'data'));
      expect(files).to.include.members(['dramlink.db', 'dramlink.db-wal', 'dramlink.db-shm']);
      for (const f of files) expect(mode(join(dir, 'data', f)), f).to.equal('600');
      expect(mode(join(dir, 'data'))).to.equal('700');
      h.close();
    } finally {
      process.umask(previous);
    }
  });

  it('narrows an existing world-readable database (0644) to 0600 when it opens it', () => {
    const path = join(dir, 'old.db');
    writeFileSync(path, '');
    chmodSync(path, 0o644);
    openDatabase(path).close();
    expect(mode(path)).to.equal('600');
  });
});
