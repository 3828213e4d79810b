import { createHash } from 'node:crypto';
import { asc, getTableName, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Store } from './store.ts';
import type { Tables, Tx } from './tx.ts';

/** Every table, parents before children (as the foreign keys need); a test checks none is missing. */
export const COPIED_TABLES: Array<keyof Tables> = [
  'accounts',
  'tokens',
  'leases',
  'providerConfigs',
  'payments',
  'attempts',
  'providerEvents',
  'refunds',
  'auditEntries',
  'syncJobs',
  'exceptions',
  'usedTokenIds',
  'tokenClaims',
  'holdActions',
  'sandboxSessions',
  'serverMeta',
  'statusQueries',
  'invoicePayments',
  'linkRequests',
  'pipelineKeys',
  'amocrmObservations',
];
const TABLES = COPIED_TABLES;
/** Tables whose `id` is a sequence on PostgreSQL (bigserial): it continues after the copied ids. */
const SEQUENCED = ['provider_events', 'audit_entries', 'sync_jobs', 'exceptions', 'link_requests'];
const CHUNK = 500;

export interface CopyReport {
  /** Rows per table, as read from the source and written to the target. */
  counts: Record<string, number>;
  /** ledgerChecksum of the source and of the target after the copy (equal, or the copy threw). */
  checksum: string;
}

export class CopyRefused extends Error {
  readonly code = 'db_copy_refused';
}

function table(tx: Tx, key: keyof Tables): SQLiteTable {
  return tx.t[key] as unknown as SQLiteTable;
}

/** Rows per table. */
export function tableCounts(store: Store): Promise<Record<string, number>> {
  return store.run(function* (tx) {
    const counts: Record<string, number> = {};
    for (const key of TABLES) {
      const [row] = yield* tx.all(tx.select({ n: sql<number>`count(*)` }).from(table(tx, key)));
      counts[getTableName(table(tx, key))] = Number(row.n);
    }
    return counts;
  });
}

/**
 * SHA-256 over the ledger (payments, attempts, refunds, hold actions, the inbox, the audit trail and
 * the outbox), every row with its columns in a fixed order, rows in key order: equal on two
 * databases exactly when they hold the same ledger, whichever store each is.
 */
export function ledgerChecksum(store: Store): Promise<string> {
  const ledger = ['payments', 'attempts', 'refunds', 'holdActions', 'providerEvents', 'auditEntries', 'syncJobs'] as const;
  return store.run(function* (tx) {
    const hash = createHash('sha256');
    for (const key of ledger) {
      const t = tx.t[key] as unknown as SQLiteTable & { id: never };
      const rows = yield* tx.all(tx.select().from(t).orderBy(asc(t.id)));
      hash.update(`${key}\n`);
      for (const row of rows as Array<Record<string, unknown>>) {
        hash.update(
          JSON.stringify(
            Object.keys(row)
              .sort()
              .map((k) => [k, row[k]]),
          ),
        );
        hash.update('\n');
      }
    }
    return hash.digest('hex');
  });
}

/**
 * Copies every row of `from` (an existing SQLite installation) into `to` (a new, migrated,
 * empty PostgreSQL database) in one transaction: all of it, or nothing. Refuses a target that
 * already holds accounts or payments. Stop the server before copying: rows written meanwhile
 * would be left behind. Checks that the counts and the ledger checksum are equal afterwards.
 */
export async function copyDatabase(from: Store, to: Store): Promise<CopyReport> {
  const before = await tableCounts(to);
  if (before.accounts > 0 || before.payments > 0) {
    throw new CopyRefused(
      `the target ${to.location} already holds ${before.accounts} account(s) and ${before.payments} payment(s): copy into a new, empty database`,
    );
  }
  // Read first (the source is stopped: it does not change), then written in one transaction.
  const source = new Map<keyof Tables, unknown[]>();
  for (const key of TABLES) source.set(key, await from.run((tx) => tx.all(tx.select().from(table(tx, key)))));
  const counts = await to.transaction(function* (target) {
    const copied: Record<string, number> = {};
    for (const key of TABLES) {
      const rows = source.get(key)!;
      const name = getTableName(table(target, key));
      yield* target.exec(sql`DELETE FROM ${sql.identifier(name)}`); // what the target's own start wrote (server_meta)
      for (let i = 0; i < rows.length; i += CHUNK) {
        yield* target.run(target.insert(table(target, key)).values(rows.slice(i, i + CHUNK) as never));
      }
      copied[name] = rows.length;
      if (SEQUENCED.includes(name) && target.dialect === 'postgres') {
        yield* target.rows(
          sql`SELECT setval(pg_get_serial_sequence(${name}, 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM ${sql.identifier(name)}`,
        );
      }
    }
    return copied;
  });
  const [after, sourceSum, targetSum] = await Promise.all([tableCounts(to), ledgerChecksum(from), ledgerChecksum(to)]);
  const differ = Object.keys(counts).filter((name) => after[name] !== counts[name]);
  if (differ.length > 0 || sourceSum !== targetSum) {
    throw new Error(
      `the copy does not match its source (tables ${differ.join(', ') || 'none'}; ledger checksum ${sourceSum} ≠ ${targetSum})`,
    );
  }
  return { counts, checksum: targetSum };
}
