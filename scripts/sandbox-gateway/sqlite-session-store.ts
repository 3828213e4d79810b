import { eq } from 'drizzle-orm';
import type { Db } from '../../server/db/database.ts';
import { sandboxSessions } from '../../server/db/schema.ts';
import type { Clock } from '../../server/platform/clock.ts';
import type { SandboxSession, SandboxSessionStore } from './session-store.ts';

/** Sandbox sessions in the app's SQLite database, so a checkout survives a restart like a real gateway's. */
export function createSqliteSandboxSessionStore(db: Db, clock: Clock): SandboxSessionStore {
  const read = (id: string): SandboxSession | undefined => {
    const row = db.select().from(sandboxSessions).where(eq(sandboxSessions.id, id)).get();
    return row ? (JSON.parse(row.data) as SandboxSession) : undefined;
  };
  return {
    async get(id) {
      return read(id);
    },
    async create(session) {
      const now = clock.now();
      db.insert(sandboxSessions)
        .values({ id: session.id, accountId: Number(session.accountId), data: JSON.stringify(session), createdAt: now, updatedAt: now })
        .run();
    },
    async update(id, change) {
      // Synchronous transaction: read, change, write cannot interleave with another update.
      return db.transaction(
        (tx) => {
          const row = tx.select().from(sandboxSessions).where(eq(sandboxSessions.id, id)).get();
          if (!row) return undefined;
          const next = change(JSON.parse(row.data) as SandboxSession);
          tx.update(sandboxSessions)
            .set({ data: JSON.stringify(next), updatedAt: clock.now() })
            .where(eq(sandboxSessions.id, id))
            .run();
          return next;
        },
        { behavior: 'immediate' },
      );
    },
  };
}
