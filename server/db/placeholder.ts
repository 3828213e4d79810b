import { sql, type SQL } from 'drizzle-orm';

/** A placeholder usable where drizzle's types want an SQL value (update sets); see Tx.prepared. */
export function ph(name: string): SQL {
  return sql`${sql.placeholder(name)}`;
}
