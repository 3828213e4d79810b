import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, getTableName } from 'drizzle-orm';
import * as schema from '../../../server/db/schema.ts';
import { COPIED_TABLES, copyDatabase, ledgerChecksum, tableCounts } from '../../../server/db/copy-database.ts';
import { openSqliteStore } from '../../../server/db/sqlite-store.ts';
import type { Store } from '../../../server/db/store.ts';
import { POSTGRES_URL, openTestStore, txOf } from '../../support/stores.ts';
import { apply, failed, newAttempt, newPayment, openLedger, paid, rejection } from '../payments/ledger-fixture.ts';

const describePg = POSTGRES_URL ? describe : describe.skip;

describePg('npm run db:copy: a SQLite installation moved to PostgreSQL without losing a row', () => {
  let dir: string;
  let from: Store;
  let to: Store;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dramlink-copy-'));
    from = openSqliteStore(join(dir, 'dramlink.db'));
    to = await openTestStore('postgres');
  });
  afterEach(async () => {
    await from.close();
    await to.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function fill(): Promise<void> {
    const l = await openLedger({ store: from, keepOpen: true });
    for (let i = 0; i < 30; i++) {
      const p = await newPayment(l, { description: i % 3 ? `Order ${i} — «ք»` : null });
      const a = await newAttempt(l, p.id);
      if (i % 2) await apply(l, a, paid(a));
      else if (i % 5 === 0) await apply(l, a, failed(a));
    }
  }

  it('copies every table: equal counts, an equal ledger checksum, and the sequences continue after the copied ids', async () => {
    await fill();
    const report = await copyDatabase(from, to);
    expect(await tableCounts(to)).to.deep.equal(await tableCounts(from));
    expect(report.counts.payments).to.equal(30);
    expect(report.counts.audit_entries).to.be.greaterThan(30);
    expect(await ledgerChecksum(to)).to.equal(await ledgerChecksum(from));
    expect(report.checksum).to.equal(await ledgerChecksum(from));

    // New rows on PostgreSQL get ids after the copied ones (no duplicate key on the first write).
    const l = await openLedger({ store: to, keepOpen: true });
    const p = await newPayment(l);
    const db = await txOf(to);
    const audit = await db.select().from(db.t.auditEntries).where(eq(db.t.auditEntries.paymentId, p.id));
    expect(audit[0].id).to.be.greaterThan(report.counts.audit_entries);
  });

  it('knows every table of the schema (a new table is copied too, or this fails)', () => {
    const tables = Object.entries(schema)
      .filter(([, v]) => typeof v === 'object' && v !== null && getTableName(v as never))
      .map(([k]) => k);
    expect([...COPIED_TABLES].sort()).to.deep.equal(tables.sort());
  });

  it('the checksum sees a changed row (the comparison can fail)', async () => {
    await fill();
    await copyDatabase(from, to);
    const db = await txOf(to);
    const [one] = await db.select().from(db.t.payments).limit(1);
    await db
      .update(db.t.payments)
      .set({ amountMinor: one.amountMinor + 1 })
      .where(eq(db.t.payments.id, one.id));
    expect(await ledgerChecksum(to)).to.not.equal(await ledgerChecksum(from));
  });

  it('refuses a target that already holds payments, and writes nothing', async () => {
    await fill();
    await copyDatabase(from, to);
    const before = await tableCounts(to);
    const err = await rejection(() => copyDatabase(from, to));
    expect(err.message).to.match(/already holds 1 account\(s\) and 30 payment\(s\): copy into a new, empty database/);
    expect(await tableCounts(to)).to.deep.equal(before);
  });
});
