import type { Store } from '../db/store.ts';
import type { Clock } from '../platform/clock.ts';

export interface LedgerDeps {
  store: Store;
  clock: Clock;
}
