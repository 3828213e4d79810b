import { and, eq, lte, or } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { leases } from '../db/schema.ts';

/**
 * A short lease row shared by every process on this database (the Nango refresh lock, on SQL).
 * Taken when free, expired, or already ours; released only by its holder.
 */
export function acquireLease(db: Db, input: { name: string; holder: string; now: number; ttlMs: number }): boolean {
  const expiresAt = input.now + input.ttlMs;
  return db.transaction(
    (tx) => {
      tx.insert(leases).values({ name: input.name, holder: input.holder, expiresAt }).onConflictDoNothing().run();
      const res = tx
        .update(leases)
        .set({ holder: input.holder, expiresAt })
        .where(and(eq(leases.name, input.name), or(eq(leases.holder, input.holder), lte(leases.expiresAt, input.now))))
        .run();
      return res.changes > 0;
    },
    { behavior: 'immediate' },
  );
}

export function releaseLease(db: Db, input: { name: string; holder: string }): void {
  db.delete(leases)
    .where(and(eq(leases.name, input.name), eq(leases.holder, input.holder)))
    .run();
}

export function leaseHolder(db: Pick<Db, 'select'>, name: string, now: number): string | undefined {
  const row = db.select().from(leases).where(eq(leases.name, name)).get();
  return row && row.expiresAt > now ? row.holder : undefined;
}
