import { and, eq, lte, or } from 'drizzle-orm';
import type { Store } from './store.ts';

/**
 * A short lease row shared by every process on this database (the Nango refresh lock, on SQL).
 * Taken when free, expired, or already ours; released only by its holder. One conditional upsert:
 * atomic in both stores, so of several instances asking at once exactly one gets it.
 */
export function acquireLease(store: Store, input: { name: string; holder: string; now: number; ttlMs: number }): Promise<boolean> {
  const expiresAt = input.now + input.ttlMs;
  return store.run(function* (tx) {
    const { leases } = tx.t;
    const changed = yield* tx.run(
      tx
        .insert(leases)
        .values({ name: input.name, holder: input.holder, expiresAt })
        .onConflictDoUpdate({
          target: leases.name,
          set: { holder: input.holder, expiresAt },
          setWhere: or(eq(leases.holder, input.holder), lte(leases.expiresAt, input.now)),
        }),
    );
    return changed > 0;
  });
}

export async function releaseLease(store: Store, input: { name: string; holder: string }): Promise<void> {
  await store.run(function* (tx) {
    const { leases } = tx.t;
    yield* tx.run(tx.delete(leases).where(and(eq(leases.name, input.name), eq(leases.holder, input.holder))));
  });
}

export function leaseHolder(store: Store, name: string, now: number): Promise<string | undefined> {
  return store.run(function* (tx) {
    const { leases } = tx.t;
    const row = yield* tx.get(tx.select().from(leases).where(eq(leases.name, name)));
    return row && row.expiresAt > now ? row.holder : undefined;
  });
}
