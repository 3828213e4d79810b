import type { RunResult } from 'better-sqlite3';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema.ts';

/**
 * What a ledger or outbox function runs its statements on: the transaction the caller holds, or the
 * database itself (a single statement is its own transaction). Both are drizzle's synchronous SQLite
 * database, so one type serves the functions that must join their caller's transaction.
 */
export type Tx = BaseSQLiteDatabase<'sync', RunResult, typeof schema>;
