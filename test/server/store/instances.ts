import type { Store } from '../../../server/db/store.ts';
import { openSharedStores, type StoreKind } from '../../support/stores.ts';

/**
 * Three "server instances" on one database for a conformance test: three SQLite connections to one
 * file, or three PostgreSQL pools on one fresh database. `each(i)` spreads work over them round-robin.
 */
export interface Instances {
  stores: Store[];
  at(i: number): Store;
  close(): Promise<void>;
}

export async function openInstances(kind: StoreKind, count = 3): Promise<Instances> {
  const shared = await openSharedStores(kind, count);
  return { stores: shared.stores, at: (i) => shared.stores[i % count], close: shared.close };
}

/** `n` calls of `work` at once, the i-th on instance i % 3. */
export function concurrently<T>(inst: Instances, n: number, work: (store: Store, i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => work(inst.at(i), i)));
}
