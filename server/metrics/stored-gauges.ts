import { sql, type SQL } from 'drizzle-orm';
import { Gauge, type Registry } from 'prom-client';
import type { Store } from '../db/store.ts';
import type { Clock } from '../platform/clock.ts';

/**
 * Counts the database already holds durably, read from it at each scrape: right after a restart
 * and the same from every process sharing the database, with nothing kept in memory.
 */
export function registerStoredGauges(registry: Registry, deps: { store: Store; clock: Clock }): void {
  countsGauge(registry, deps.store, {
    name: 'dramlink_ledger_transitions',
    help: 'Ledger events recorded in the audit trail, by action (durable; a counter in effect)',
    label: 'action',
    query: sql`SELECT action AS value, count(*) AS n FROM audit_entries GROUP BY action`,
  });
  countsGauge(registry, deps.store, {
    name: 'dramlink_sync_queue_depth',
    help: 'CRM writes waiting in the outbox, by state',
    label: 'state',
    // Every state is reported, 0 included, so an alert on one of them has a series to watch.
    always: ['pending', 'in_flight', 'failing', 'dead'],
    query: sql`SELECT state AS value, count(*) AS n FROM sync_jobs WHERE state != 'done' GROUP BY state`,
  });
  new Gauge({
    name: 'dramlink_sync_oldest_age_seconds',
    help: 'Age of the oldest CRM write not yet made',
    registers: [registry],
    async collect() {
      const [row] = await deps.store.run((tx) =>
        tx.rows<{ oldest: number | null }>(
          sql`SELECT min(created_at) AS oldest FROM sync_jobs WHERE state IN ('pending','in_flight','failing')`,
        ),
      );
      this.set(row?.oldest ? Math.max(0, (deps.clock.now() - row.oldest) / 1000) : 0);
    },
  });
  countsGauge(registry, deps.store, {
    name: 'dramlink_open_exceptions',
    help: 'Things that need a person, by kind',
    label: 'kind',
    query: sql`SELECT kind AS value, count(*) AS n FROM exceptions WHERE resolved_at IS NULL GROUP BY kind`,
  });
}

/** A gauge with one series per `value` of a `SELECT value, count(*) AS n … GROUP BY` query. */
function countsGauge(
  registry: Registry,
  store: Store,
  o: { name: string; help: string; label: string; query: SQL; always?: string[] },
): void {
  new Gauge({
    name: o.name,
    help: o.help,
    labelNames: [o.label],
    registers: [registry],
    async collect() {
      const rows = await store.run((tx) => tx.rows<{ value: string; n: number }>(o.query));
      this.reset();
      for (const value of o.always ?? []) this.set({ [o.label]: value }, 0);
      for (const r of rows) this.set({ [o.label]: r.value }, r.n);
    },
  });
}
