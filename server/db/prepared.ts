import { sql, type SQL } from 'drizzle-orm';

/**
 * drizzle builds the SQL of a query on every call, and on the notification path that building
 * cost more than SQLite itself. Hot queries are built once per connection with placeholders
 * (`sql.placeholder`) and reused. Keyed by drizzle's session, which a transaction shares with its
 * database, so a statement prepared on `db` also runs inside `tx`.
 */
const bySession = new WeakMap<object, Map<string, unknown>>();

export function prepared<T>(dbOrTx: object, name: string, build: () => T): T {
  const session = (dbOrTx as { session?: object }).session ?? dbOrTx;
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
