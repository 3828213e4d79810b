import { createAccountContexts, type AccountContexts } from './accounts/account-context.ts';
import { createAmocrmServices, type AmocrmServices } from './amocrm/index.ts';
import { createKeepAlive, type KeepAlive } from './amocrm/keep-alive.ts';
import type { Config } from './config/config.ts';
import { createSecretBox, type SecretBox } from './crypto/secret-box.ts';
import { ensureSecretsKey } from './crypto/secrets-check.ts';
import type { Store } from './db/store.ts';
import type { Logger } from './logging/logger.ts';
import { countAmocrmHttp } from './metrics/counting-http.ts';
import { createMetrics, type Metrics } from './metrics/metrics.ts';
import { createLinkRunner, type LinkRunner } from './lead-links/link-runner.ts';
import type { LedgerDeps } from './payments/deps.ts';
import { createReconciler, type Reconciler } from './payments/reconciler.ts';
import type { VerifyDeps } from './payments/verify-attempt.ts';
import { createProviderConfigStore, type ProviderConfigStore } from './providers/provider-configs.ts';
import { createProviderRegistry, type ProviderRegistry } from './providers/registry.ts';
import { createOutboundPolicy, type OutboundPolicy } from './providers/transport/outbound-policy.ts';
import type { BackgroundLoop } from './platform/background-loop.ts';
import type { Clock } from './platform/clock.ts';
import type { HttpClient } from './platform/http-client.ts';
import { createInProcessSyncWake, type SyncWake } from './sync/sync-wake.ts';
import { createBroadcastSyncWake } from './sync/sync-wake-broadcast.ts';
import { createSyncWorker, type SyncWorker } from './sync/worker.ts';
import { createInboxRetention } from './webhooks/inbox-retention.ts';

/** The platform seams, decided once at the composition point (main.ts or a test). */
export interface AppDeps {
  config: Config;
  clock: Clock;
  http: HttpClient;
  logger: Logger;
  /** The database: SQLite or PostgreSQL (server/db/store.ts), opened and migrated. */
  store: Store;
  /**
   * How committed outbox work wakes the sync worker. Default: PostgreSQL's LISTEN/NOTIFY (every
   * instance sharing the database wakes), or within this process on SQLite.
   */
  syncWake?: SyncWake;
}

export interface AppServices extends AppDeps {
  secretBox: SecretBox;
  ledger: LedgerDeps;
  registry: ProviderRegistry;
  providers: ProviderConfigStore;
  /** Where provider calls may go: official hosts, PROVIDER_ALLOWED_HOSTS, PUBLIC_URL for the sandbox. */
  outbound: OutboundPolicy;
  /** Ledger + providers + logger + metrics: what verification, webhooks and the pay page need. */
  payments: VerifyDeps;
  metrics: Metrics;
  reconciler: Reconciler;
  /** amoCRM: the rate-limited client, tokens, install and revoke (server/amocrm). */
  amocrm: AmocrmServices;
  /** Reads an account once per request, drain or job, with its bound amoCRM client (server/accounts). */
  accounts: AccountContexts;
  /** Drains the outbox into amoCRM; also in `background`. */
  syncWorker: SyncWorker;
  /** Told of every committed outbox change (after its commit); wakes the sync worker. */
  syncWake: SyncWake;
  /** Refreshes the tokens of accounts idle for 30 days, daily; also in `background`. */
  keepAlive: KeepAlive;
  /** Makes the links automation asked for (pipeline triggers, Salesbot steps, bulk runs); also in `background`. */
  linkRunner: LinkRunner;
  /** The loops the app starts and stops with the server. */
  background: BackgroundLoop[];
}

export async function buildServices(deps: AppDeps): Promise<AppServices> {
  if (!deps.config.secretsKey) throw new Error('SECRETS_KEY must be resolved before the services are built');
  const { store } = deps;
  const secretBox = createSecretBox(deps.config.secretsKey);
  // A wrong key stops here (SecretsKeyError, one line naming SECRETS_KEY), before anything is served.
  await ensureSecretsKey(store, secretBox, deps.clock.now());
  const registry = createProviderRegistry({ sandboxEnabled: deps.config.sandboxEnabled });
  const outbound = createOutboundPolicy({ allowedHosts: deps.config.providerAllowedHosts, publicUrl: deps.config.publicUrl });
  const providers = createProviderConfigStore({
    store,
    secretBox,
    registry,
    http: deps.http,
    outbound,
    clock: deps.clock,
    publicUrl: deps.config.publicUrl,
  });
  const ledger: LedgerDeps = { store, clock: deps.clock };
  const metrics = createMetrics({ store, clock: deps.clock });
  const payments: VerifyDeps = { ...ledger, providers, logger: deps.logger, metrics };
  const reconciler = createReconciler(payments);
  const amocrm = createAmocrmServices({
    config: deps.config,
    store,
    clock: deps.clock,
    http: countAmocrmHttp(deps.http, metrics),
    logger: deps.logger,
    secretBox,
  });
  const accounts = createAccountContexts({ store, clock: deps.clock, client: amocrm.client, amocrm: deps.config.amocrm });
  const { syncWake, syncWorker } = syncToAmocrm(deps, accounts, amocrm);
  const keepAlive = createKeepAlive({
    store,
    clock: deps.clock,
    logger: deps.logger,
    tokens: amocrm.tokens,
    onResult: (result) => metrics.keepAliveRefreshes.inc({ result }),
  });
  const linkRunner = createLinkRunner({ ...ledger, logger: deps.logger, accounts, providers, registry, publicUrl: deps.config.publicUrl });
  return {
    ...deps,
    secretBox,
    ledger,
    registry,
    providers,
    outbound,
    payments,
    metrics,
    reconciler,
    amocrm,
    accounts,
    syncWorker,
    syncWake,
    keepAlive,
    linkRunner,
    background: [reconciler, syncWorker, keepAlive, linkRunner, createInboxRetention({ store, clock: deps.clock, logger: deps.logger })],
  };
}

/**
 * docs/architecture.md, 6 Sync to amoCRM: the worker, woken by every committed outbox change (the
 * database delivers the signal only after the commit) and polling behind it.
 */
function syncToAmocrm(deps: AppDeps, accounts: AccountContexts, amocrm: AmocrmServices): { syncWake: SyncWake; syncWorker: SyncWorker } {
  const { config, clock, logger, store } = deps;
  const syncWake = deps.syncWake ?? (store.broadcast ? createBroadcastSyncWake(store.broadcast, logger) : createInProcessSyncWake());
  store.subscribeCommits((signal) => syncWake.notify(signal.accountId));
  const syncWorker = createSyncWorker({ config, store, clock, logger, accounts, amocrm, wake: syncWake });
  return { syncWake, syncWorker };
}
