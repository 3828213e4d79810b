import express, { type Express, type RequestHandler } from 'express';
import { errorHandler, notFound } from './http/middleware/errors.ts';
import { everyRequest } from './http/middleware/every-request.ts';
import { amocrmHookRoutes } from './http/routes/amocrm-hooks.ts';
import { healthRoutes } from './http/routes/health.ts';
import { metricsRoutes } from './http/routes/metrics.ts';
import { connectedLinkKey } from './http/connected-link.ts';
import { oauthRoutes } from './http/routes/oauth.ts';
import { payRoutes } from './http/routes/pay.ts';
import { paywallRoutes } from './http/routes/paywall.ts';
import { WEBHOOK_PATH, webhookHandlers } from './http/routes/webhooks.ts';
import {
  createStrangerLimits,
  INSTALL_BUDGET,
  PAY_PAGE_BUDGET,
  WEBHOOK_BUDGET,
  type StrangerBudget,
  type StrangerLimits,
} from './http/stranger-limits.ts';
import { buildServices, type AppDeps, type AppServices } from './services.ts';
import { widgetApiCors, widgetApiRouter } from './widget-api/index.ts';

export interface App {
  express: Express;
  services: AppServices;
  /** Starts the background loops (sync worker, reconciler). Tests may leave them off and drive passes by hand. */
  startBackground(): void;
  stopBackground(): Promise<void>;
}

/**
 * What a composition outside the product adds to the app once its services exist: the dev wing
 * (scripts/) mounts the sandbox gateway and local mode's playground this way, tests the gateway.
 * The production entry (main.ts) adds nothing.
 */
export interface AppExtension {
  /** Mounted in order after the product's routes and before the 404 handler; `path` defaults to `/`. */
  routers?: ReadonlyArray<{ path?: string; router: RequestHandler }>;
  /** Called by stopBackground before the loops stop (e.g. pending redelivery timers). */
  stop?(): void | Promise<void>;
}

export type AppExtender = (services: AppServices) => AppExtension;

export interface AppOptions {
  extend?: readonly AppExtender[];
  /** Budgets of unverified requests (http/stranger-limits.ts); tests that send thousands raise them. */
  strangerBudgets?: { webhooks?: StrangerBudget; payPage?: StrangerBudget; install?: StrangerBudget };
}

/** JSON bodies above this are refused with 413: no widget call needs more. */
export const JSON_BODY_LIMIT = '64kb';

/**
 * The one composition point: takes config, clock, HTTP client, logger and database, builds the
 * services and mounts every route. Nothing else in the server constructs a seam of its own.
 */
export async function createApp(deps: AppDeps, options: AppOptions = {}): Promise<App> {
  const services = await buildServices(deps);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.mode === 'production' ? 1 : false);
  app.use(everyRequest(deps.logger));

  // First: the busiest path (bursts of provider notifications) then skips no other router's routes.
  const limits = (name: string, budget: StrangerBudget) => createStrangerLimits({ clock: deps.clock, logger: deps.logger, name, budget });
  app.route(WEBHOOK_PATH).all(
    webhookHandlers({
      ...services.payments,
      limits: limits('webhooks', options.strangerBudgets?.webhooks ?? WEBHOOK_BUDGET),
    }),
  );
  app.use(amocrmHookRoutes(services, limits('amocrm hooks', options.strangerBudgets?.webhooks ?? WEBHOOK_BUDGET)));
  app.use(healthRoutes(deps.store, services.secretBox));
  const { metrics } = deps.config;
  app.use(metricsRoutes(services.metrics, { token: metrics.token, openWithoutToken: metrics.public || deps.config.mode !== 'production' }));
  app.use('/api/v1', widgetApiCors());
  app.use('/api', express.json({ limit: JSON_BODY_LIMIT, strict: true }));
  app.use('/api/v1', widgetApiRouter(services));
  const linkKey = connectedLinkKey(deps.config.secretsKey!);
  app.use(
    oauthRoutes({
      amocrm: services.amocrm,
      store: services.store,
      logger: deps.logger,
      clock: deps.clock,
      linkKey,
      limits: limits('install callback', options.strangerBudgets?.install ?? INSTALL_BUDGET),
    }),
  );
  customerPages(services, (name) => limits(name, options.strangerBudgets?.payPage ?? PAY_PAGE_BUDGET)).forEach((r) => app.use(r));
  const extensions = (options.extend ?? []).map((extend) => extend(services));
  for (const { routers = [] } of extensions) for (const { path = '/', router } of routers) app.use(path, router);

  app.use(notFound());
  app.use(errorHandler(deps.logger));

  return {
    express: app,
    services,
    startBackground: () => services.background.forEach((t) => t.start()),
    stopBackground: async () => {
      for (const extension of extensions) await extension.stop?.();
      await Promise.all(services.background.map((t) => t.stop()));
    },
  };
}

/**
 * The customer's pages: the payment link's (docs/architecture.md, 3 Customer pays) and the one
 * amoCRM's invoice page hands customers to (Invoices). Each with its own budget of unverified requests.
 */
function customerPages(services: AppServices, limits: (name: string) => StrangerLimits): RequestHandler[] {
  const { config } = services;
  return [
    payRoutes({ ...services.payments, publicUrl: config.publicUrl, limits: limits('pay page') }),
    paywallRoutes({
      ...services.payments,
      accounts: services.accounts,
      registry: services.registry,
      publicUrl: config.publicUrl,
      limits: limits('paywall'),
    }),
  ];
}
