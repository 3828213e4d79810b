import { sql } from 'drizzle-orm';
import { Counter, Gauge, Registry } from 'prom-client';
import type { Db } from '../db/database.ts';
import type { Clock } from '../platform/clock.ts';

/**
 * Prometheus metrics for /metrics. Counts that the database already holds durably (ledger
 * transitions, queue depth, open exceptions) are read from it at scrape time, so they are right
 * after a restart and across processes; only what is never stored (rejected notifications, HTTP
 * calls to amoCRM, token refreshes) is counted in memory. One registry per app: tests run many.
 */
export function createMetrics(deps: { db: Db; clock: Clock }) {
  const registry = new Registry();

  const notifications = new Counter({
    name: 'dramlink_notifications_total',
    help: 'Provider notifications by provider and result (received, verified, rejected, duplicate)',
    labelNames: ['provider', 'result'] as const,
    registers: [registry],
  });
  const amocrmRequests = new Counter({
    name: 'dramlink_amocrm_requests_total',
    help: 'Requests sent to amoCRM by HTTP status (0 = no answer)',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const tokenRefreshes = new Counter({
    name: 'dramlink_token_refreshes_total',
    help: 'OAuth token refreshes by result',
    labelNames: ['result'] as const,
    registers: [registry],
  });

  new Gauge({
    name: 'dramlink_ledger_transitions',
    help: 'Ledger events recorded in the audit trail, by action (durable; a counter in effect)',
    labelNames: ['action'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const rows = deps.db.all<{ action: string; n: number }>(sql`SELECT action, count(*) AS n FROM audit_entries GROUP BY action`);
      for (const r of rows) this.set({ action: r.action }, r.n);
    },
  });
  new Gauge({
    name: 'dramlink_sync_queue_depth',
    help: 'CRM writes waiting in the outbox, by state',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const state of ['pending', 'in_flight', 'failing', 'dead']) this.set({ state }, 0);
      const rows = deps.db.all<{ state: string; n: number }>(
        sql`SELECT state, count(*) AS n FROM sync_jobs WHERE state != 'done' GROUP BY state`,
      );
      for (const r of rows) this.set({ state: r.state }, r.n);
    },
  });
  new Gauge({
    name: 'dramlink_sync_oldest_age_seconds',
    help: 'Age of the oldest CRM write not yet made',
    registers: [registry],
    collect() {
      const row = deps.db.get<{ oldest: number | null }>(
        sql`SELECT min(created_at) AS oldest FROM sync_jobs WHERE state IN ('pending','in_flight','failing')`,
      );
      this.set(row?.oldest ? Math.max(0, (deps.clock.now() - row.oldest) / 1000) : 0);
    },
  });
  new Gauge({
    name: 'dramlink_open_exceptions',
    help: 'Things that need a person, by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const rows = deps.db.all<{ kind: string; n: number }>(
        sql`SELECT kind, count(*) AS n FROM exceptions WHERE resolved_at IS NULL GROUP BY kind`,
      );
      for (const r of rows) this.set({ kind: r.kind }, r.n);
    },
  });

  return { registry, notifications, amocrmRequests, tokenRefreshes };
}

export type Metrics = ReturnType<typeof createMetrics>;
