import { Counter, Registry } from 'prom-client';
import type { Store } from '../db/store.ts';
import type { Clock } from '../platform/clock.ts';
import { registerStoredGauges } from './stored-gauges.ts';

/**
 * Prometheus metrics for /metrics. What the database holds durably (ledger events, the outbox, open
 * exceptions) is read from it at scrape time (stored-gauges.ts); only what is never stored
 * (notification results, HTTP calls to amoCRM, token refreshes) is counted here, in memory.
 * One registry per app: tests run many apps in one process.
 */
export function createMetrics(deps: { store: Store; clock: Clock }) {
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
  const tokenReuses = new Counter({
    name: 'dramlink_disposable_token_reuses_total',
    help: 'Widget calls whose X-Auth-Token id was seen before within its validity: accepted (AMOCRM_TOKEN_REPLAY=log) or rejected',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const adminChecks = new Counter({
    name: 'dramlink_admin_checks_total',
    help: "Admin checks of widget calls by where the answer came from: the token's is_admin claim, the cache, amoCRM, or unavailable",
    labelNames: ['source'] as const,
    registers: [registry],
  });
  const keepAliveRefreshes = new Counter({
    name: 'dramlink_token_keepalive_total',
    help: 'Keep-alive refreshes of idle accounts by result (refreshed, revoked, failed)',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  registerStoredGauges(registry, deps);
  return { registry, notifications, amocrmRequests, tokenRefreshes, tokenReuses, adminChecks, keepAliveRefreshes };
}

export type Metrics = ReturnType<typeof createMetrics>;
