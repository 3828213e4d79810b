import type { Db } from '../db/database.ts';
import type { Clock } from '../platform/clock.ts';

export interface LedgerDeps {
  db: Db;
  clock: Clock;
}
