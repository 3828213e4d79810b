import pg from 'pg';
import type { Broadcast } from './store.ts';

/** After a dropped listening connection (a restarted server), listen again after this long. */
const RELISTEN_MS = 1_000;

/**
 * PostgreSQL's LISTEN/NOTIFY between the instances sharing a database. NOTIFY goes through the
 * pool; each listener has a dedicated connection (a pooled one would go back to the pool and lose
 * its LISTEN), opened again when it drops. Delivery is best effort: whoever relies on it also polls.
 */
export function createPgBroadcast(pool: pg.Pool, url: string, onError?: (err: Error) => void): Broadcast & { close(): Promise<void> } {
  const open = new Set<() => Promise<void>>();
  let closed = false;
  return {
    async notify(channel, payload) {
      await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async listen(channel, onMessage) {
      let stopped = closed;
      let client: pg.Client | undefined;
      const stop = async () => {
        stopped = true;
        open.delete(stop);
        await client?.end().catch(() => undefined);
      };
      if (stopped) return stop;
      // Registered before connecting: a store closed meanwhile ends this connection too.
      open.add(stop);
      const connect = async (): Promise<void> => {
        if (stopped) return;
        const c = new pg.Client({ connectionString: url });
        client = c;
        c.on('notification', (m) => m.channel === channel && onMessage(m.payload ?? ''));
        c.on('error', (err) => {
          onError?.(err);
          c.end().catch(() => undefined);
          if (!stopped) setTimeout(() => void connect().catch((e: Error) => onError?.(e)), RELISTEN_MS).unref();
        });
        await c.connect();
        if (stopped) return void (await c.end().catch(() => undefined));
        await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      };
      await connect();
      return stop;
    },
    async close() {
      closed = true;
      await Promise.all([...open].map((stop) => stop()));
    },
  };
}
