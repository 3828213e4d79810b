import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from './tx.ts';

/**
 * The one statement cache. drizzle builds a query's SQL and SQLite compiles it on every call; on
 * the notification path that cost more than SQLite's own work. Hot queries are built and compiled
 * once per connection with placeholders (`sql.placeholder`) and reused. Keyed by drizzle's session
 * (an internal field), which a transaction shares with its database, so a statement prepared on
 * `db` also runs inside `tx`.
 */
const bySession = new WeakMap<object, Map<string, unknown>>();

export function prepared<T>(dbOrTx: Tx, name: string, build: () => T): T {
  const session = (dbOrTx as unknown as { session?: object }).session ?? dbOrTx;
  let map = bySession.get(session);
  if (!map) bySession.set(session, (map = new Map()));
  let query = map.get(name) as T | undefined;
  if (query === undefined) map.set(name, (query = build()));
  return query;
}

/** A placeholder usable where drizzle's types want an SQL value (update sets). */
export function ph(name: string): SQL {
  return sql`${sql.placeholder(name)}`;
}
