import type { Db } from './database.ts';
import type { Tx } from './tx.ts';

/**
 * Runs `work` atomically: in its own IMMEDIATE transaction, or, when the caller already holds one
 * (the commit batcher runs each notification inside its own savepoint), directly inside it. A
 * second savepoint there would only cost two more statements per notification.
 */
export function atomic<T>(db: Db, work: (tx: Tx) => T): T {
  if (db.$client.inTransaction) return work(db);
  return db.transaction(work, { behavior: 'immediate' });
}
