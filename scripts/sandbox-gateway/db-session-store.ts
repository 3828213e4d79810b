import { eq } from 'drizzle-orm';
import type { Store } from '../../server/db/store.ts';
import type { Clock } from '../../server/platform/clock.ts';
import type { SandboxSession, SandboxSessionStore } from './session-store.ts';

/** Sandbox sessions in the app's database (SQLite or PostgreSQL), so a checkout survives a restart like a real gateway's. */
export function createDbSandboxSessionStore(store: Store, clock: Clock): SandboxSessionStore {
  return {
    async get(id) {
      const row = await store.run((tx) => tx.get(tx.select().from(tx.t.sandboxSessions).where(eq(tx.t.sandboxSessions.id, id))));
      return row ? (JSON.parse(row.data) as SandboxSession) : undefined;
    },
    async create(session) {
      const now = clock.now();
      await store.run((tx) =>
        tx.run(
          tx.insert(tx.t.sandboxSessions).values({
            id: session.id,
            accountId: Number(session.accountId),
            data: JSON.stringify(session),
            createdAt: now,
            updatedAt: now,
          }),
        ),
      );
    },
    update(id, change) {
      // One transaction with the row locked: read, change, write cannot interleave with another update.
      return store.transaction(function* (tx) {
        const { sandboxSessions } = tx.t;
        const row = yield* tx.get(tx.forUpdate(tx.select().from(sandboxSessions).where(eq(sandboxSessions.id, id))));
        if (!row) return undefined;
        const next = change(JSON.parse(row.data) as SandboxSession);
        yield* tx.run(
          tx
            .update(sandboxSessions)
            .set({ data: JSON.stringify(next), updatedAt: clock.now() })
            .where(eq(sandboxSessions.id, id)),
        );
        return next;
      });
    },
  };
}
