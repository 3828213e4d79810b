import Database from 'better-sqlite3';
import { expect } from 'chai';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type DatabaseHandle } from '../../../server/db/database.ts';
import { openException } from '../../../server/exceptions/open-exception.ts';
import { applyProviderFact } from '../../../server/payments/apply-provider-fact.ts';
import { ManualClock } from '../../../server/platform/clock.ts';
import { findAccount } from '../../../server/accounts/account-store.ts';
import { listExceptions } from '../../../server/widget-api/views/exceptions.ts';
import { createSqliteStore, sqliteTx } from '../../../server/db/sqlite-store.ts';
import { runSync } from '../../../server/db/step.ts';

const MIGRATIONS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../server/db/migrations');
const T0 = Date.UTC(2026, 0, 15, 10, 0, 0);

/** A database as the version before migration 0002 left it: only 0000 and 0001 applied. */
function databaseBefore0002(path: string, dir: string): Database.Database {
  const old = join(dir, 'migrations-before');
  mkdirSync(join(old, 'meta'), { recursive: true });
  const journal = JSON.parse(readFileSync(join(MIGRATIONS, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  journal.entries = journal.entries.slice(0, 2);
  writeFileSync(join(old, 'meta/_journal.json'), JSON.stringify(journal));
  for (const { tag } of journal.entries) copyFileSync(join(MIGRATIONS, `${tag}.sql`), join(old, `${tag}.sql`));
  const sqlite = new Database(path);
  migrate(drizzle(sqlite), { migrationsFolder: old });
  return sqlite;
}

/** Rows the older code wrote: markers inside raw_status, English text in the exceptions. */
function seedOldRows(sqlite: Database.Database): void {
  sqlite.exec(`
    INSERT INTO accounts (id, subdomain, base_domain, state, created_at, updated_at) VALUES (7, 'shop', 'amocrm.ru', 'active', ${T0}, ${T0});
    INSERT INTO payments (id, account_id, lead_id, link_token, amount_minor, currency, providers, status, review_reason, review_since, expires_at, created_at, created_by, updated_at)
      VALUES ('pay_1', 7, 70, 'tok1', 150000, 'AMD', '["sandbox"]', 'awaiting', 'currency_mismatch', ${T0}, ${T0 + 86_400_000}, ${T0}, 'user:1', ${T0});
    INSERT INTO attempts (id, payment_id, account_id, provider, provider_order_no, status, raw_status, amount_minor, currency, seq, created_at, updated_at) VALUES
      ('att_mis_cur', 'pay_1', 7, 'sandbox', 'ord-1', 'pending', 'mismatch:succeeded', 150000, 'AMD', 1, ${T0}, ${T0}),
      ('att_mis_amt', 'pay_1', 7, 'sandbox', 'ord-2', 'pending', 'mismatch:Deposited', 150000, 'AMD', 2, ${T0}, ${T0}),
      ('att_unclear', 'pay_1', 7, 'sandbox', 'ord-3', 'pending', 'unclear:APPROVED', 150000, 'AMD', 3, ${T0}, ${T0}),
      ('att_plain', 'pay_1', 7, 'sandbox', 'ord-4', 'failed', 'declined: mismatch: of card data', 150000, 'AMD', 4, ${T0}, ${T0});
    INSERT INTO audit_entries (account_id, payment_id, at, actor, action, details)
      VALUES (7, 'pay_1', ${T0}, 'provider:sandbox', 'currency_mismatch', '{"attemptId":"att_mis_cur"}');
    INSERT INTO refunds (id, payment_id, account_id, attempt_id, amount_minor, currency, state, source, error, created_at, updated_at)
      VALUES ('ref_1', 'pay_1', 7, 'att_mis_cur', 5000, 'AMD', 'failed', 'manager', 'card closed', ${T0}, ${T0});
    INSERT INTO sync_jobs (account_id, kind, lead_id, dedupe_key, payload, state, attempts, next_run_at, last_error, created_at, updated_at)
      VALUES (7, 'lead_update', 70, 'lead:70', '{}', 'failing', 8, ${T0}, 'amoCRM answered 503', ${T0}, ${T0});
    INSERT INTO exceptions (account_id, kind, dedupe_key, payment_id, lead_id, message, action, opened_at) VALUES
      (7, 'needs_review', 'needs_review:pay_1:currency_mismatch', 'pay_1', 70, 'old text', 'old action', ${T0}),
      (7, 'refund_failed', 'refund_failed:pay_1:refund_failed:ref_1', 'pay_1', 70, 'old text', 'old action', ${T0 + 1}),
      (7, 'sync_failing', 'sync:lead:70', NULL, 70, 'old text', 'old action', ${T0 + 2}),
      (7, 'account_blocked', 'account_blocked', NULL, NULL, 'old text', 'old action', ${T0 + 3}),
      (7, 'sync_failing', 'sync:lead:71', NULL, 71, 'gone', 'gone', ${T0 + 4});
    DELETE FROM exceptions WHERE dedupe_key = 'sync:lead:71';
  `);
}

describe('server/db migration 0002: attempt flags and structured exceptions from older rows', () => {
  let dir: string;
  let database: DatabaseHandle;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dramlink-migration-'));
    const path = join(dir, 'dramlink.db');
    const before = databaseBefore0002(path, dir);
    seedOldRows(before);
    before.close();
    database = openDatabase(path);
  });
  afterEach(() => {
    database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const attempt = (id: string) =>
    database.sqlite
      .prepare('SELECT raw_status AS raw, flagged_reason AS reason, flagged_raw_status AS flaggedRaw FROM attempts WHERE id = ?')
      .get(id);

  it('moves raw_status markers into the flag columns and gives raw_status back the provider words', () => {
    expect(attempt('att_mis_cur')).to.deep.equal({ raw: 'succeeded', reason: 'currency_mismatch', flaggedRaw: 'succeeded' });
    expect(attempt('att_mis_amt'), 'no audit entry names the mismatch: amount').to.deep.equal({
      raw: 'Deposited',
      reason: 'amount_mismatch',
      flaggedRaw: 'Deposited',
    });
    expect(attempt('att_unclear')).to.deep.equal({ raw: 'APPROVED', reason: 'provider_unclear', flaggedRaw: 'APPROVED' });
    expect(attempt('att_plain'), 'a status that only contains the word stays as it is').to.deep.equal({
      raw: 'declined: mismatch: of card data',
      reason: null,
      flaggedRaw: null,
    });
  });

  it('still treats a replay of the answer an old row was flagged for as a duplicate', async () => {
    const deps = { store: createSqliteStore(database), clock: new ManualClock(T0 + 60_000) };
    const replay = await applyProviderFact(deps, {
      attemptId: 'att_mis_cur',
      fact: { status: 'paid', amountMinor: 150000, currency: 'USD', providerOrderNo: 'ord-1', rawStatus: 'succeeded' },
      actor: 'provider:sandbox',
    });
    expect(replay).to.deep.include({ outcome: 'duplicate', events: [] });
    const held = await applyProviderFact(deps, {
      attemptId: 'att_unclear',
      fact: { status: 'unknown', needsPerson: true, providerOrderNo: 'ord-3', rawStatus: 'APPROVED' },
      actor: 'reconciler',
    });
    expect(held).to.deep.include({ outcome: 'status_unknown', events: [] });
  });

  it('derives reason and data of older exceptions, so the list renders them from data', () => {
    const rows = database.sqlite.prepare('SELECT kind, reason, data FROM exceptions ORDER BY id').all() as { data: string }[];
    expect(rows.map((r) => ({ ...r, data: JSON.parse(r.data) as unknown }))).to.deep.equal([
      { kind: 'needs_review', reason: 'currency_mismatch', data: { amountMinor: 150000, currency: 'AMD' } },
      {
        kind: 'refund_failed',
        reason: 'provider_refused',
        data: { refundId: 'ref_1', amountMinor: 5000, currency: 'AMD', providerMessage: 'card closed' },
      },
      { kind: 'sync_failing', reason: 'retrying', data: { attempts: 8, error: 'amoCRM answered 503', retryEveryMinutes: 30 } },
      { kind: 'account_blocked', reason: 'amocrm_403', data: { cooldownMinutes: 10 } },
    ]);
    const tx = sqliteTx(database.db);
    const messages = runSync(listExceptions(tx, runSync(findAccount(tx, 7))!)).map((e) => [e.kind, e.message]);
    expect(messages).to.deep.equal([
      ['account_blocked', messages[0][1]],
      ['sync_failing', messages[1][1]],
      ['refund_failed', 'A refund of 50\u00a0AMD failed: card closed.'],
      ['needs_review', 'dramlink: check the payment of 1\u00a0500\u00a0AMD: the provider reported a different currency than requested'],
    ]);
    expect(messages[0][1]).to.match(/probes again after 10 minutes/);
    expect(messages[1][1]).to.match(/lead 70 in amoCRM after 8 attempts \(amoCRM answered 503\)/);
  });

  it('keeps counting exception ids where the old table was, so an id shown to a person is never reused', () => {
    runSync(
      openException(sqliteTx(database.db), {
        accountId: 7,
        key: 'sync:lead:72',
        leadId: 72,
        kind: 'sync_failing',
        reason: 'rejected',
        data: { jobKind: 'note', error: 'x' },
        now: T0,
      }),
    );
    const ids = (database.sqlite.prepare('SELECT id FROM exceptions ORDER BY id').all() as { id: number }[]).map((r) => r.id);
    expect(ids).to.deep.equal([1, 2, 3, 4, 6]);
  });
});
