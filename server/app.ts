import express, { type Express, type RequestHandler } from 'express';
import { createCommitBatcher } from './db/commit-batcher.ts';
import { errorHandler, notFound } from './http/middleware/errors.ts';
import { requestId } from './http/middleware/request-id.ts';
import { requestLog } from './http/middleware/request-log.ts';
import { healthRoutes } from './http/routes/health.ts';
import { metricsRoutes } from './http/routes/metrics.ts';
import { oauthRoutes } from './http/routes/oauth.ts';
import { payRoutes } from './http/routes/pay.ts';
import { webhookRoutes } from './http/routes/webhooks.ts';
import { createSandboxGateway } from './providers/sandbox/gateway/index.ts';
import { createSqliteSandboxSessionStore } from './providers/sandbox/gateway/sqlite-session-store.ts';
import { buildServices, type AppDeps, type AppServices } from './services.ts';
import { widgetApiCors, widgetApiRouter } from './widget-api/index.ts';

export interface App {
  express: Express;
  services: AppServices;
  /** Starts the background loops (sync worker, reconciler). Tests may leave them off and drive passes by hand. */
  startBackground(): void;
  stopBackground(): Promise<void>;
}

/** What main.ts adds in local mode only (server/local-mode). */
export interface AppOptions {
  /** The lead-card playground at `/` and `/playground/...`; ignored unless config.mode is 'local'. */
  playground?: RequestHandler;
}

/** JSON bodies above this are refused with 413: no widget call needs more. */
export const JSON_BODY_LIMIT = '64kb';

/**
 * The one composition point: takes config, clock, HTTP client, logger and database, builds the
 * services and mounts every route. Nothing else in the server constructs a seam of its own.
 */
export function createApp(deps: AppDeps, options: AppOptions = {}): App {
  const services = buildServices(deps);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.mode === 'production' ? 1 : false);
  app.use(requestId());
  app.use(requestLog(deps.logger));

  app.use(healthRoutes(deps.database));
  app.use(metricsRoutes(services.metrics));
  app.use('/api/v1', widgetApiCors());
  app.use('/api', express.json({ limit: JSON_BODY_LIMIT, strict: true }));
  app.use('/api/v1', widgetApiRouter(services));
  app.use(oauthRoutes({ amocrm: services.amocrm, db: services.db, logger: deps.logger }));
  app.use(webhookRoutes({ ...services.payments, batcher: createCommitBatcher(services.db) }));
  app.use(payRoutes({ ...services.payments, publicUrl: deps.config.publicUrl }));
  if (deps.config.sandboxEnabled) {
    // The sandbox plays a bank living on this server; it reaches the app only over HTTP, like one.
    const gateway = createSandboxGateway({
      store: createSqliteSandboxSessionStore(services.db, deps.clock),
      http: deps.http,
      clock: deps.clock,
      publicUrl: deps.config.publicUrl,
      logger: deps.logger,
      secretFor: (accountId) => {
        const config = /^\d+$/.test(accountId) ? services.providers.get(Number(accountId), 'sandbox') : undefined;
        return typeof config?.credentials.webhookSecret === 'string' ? config.credentials.webhookSecret : undefined;
      },
    });
    services.sandboxGateway = gateway;
    app.use('/sandbox', gateway);
  }
  if (deps.config.mode === 'local' && options.playground) app.use(options.playground);

  app.use(notFound());
  app.use(errorHandler(deps.logger));

  return {
    express: app,
    services,
    startBackground: () => services.background.forEach((t) => t.start()),
    stopBackground: async () => {
      services.sandboxGateway?.close();
      await Promise.all(services.background.map((t) => t.stop()));
    },
  };
}
