import express, { type ErrorRequestHandler, type Express } from 'express';
import { identify, rejectBlocked, requireApiAccess } from './api-gate.ts';
import { faultMiddleware, type Faults } from './faults.ts';
import type { IpWhitelist } from './ip-whitelist.ts';
import type { RateLimiter } from './rate-limit.ts';
import { recorder } from './recorder.ts';
import { problem } from './reply.ts';
import { accountRoutes } from './routes/account.ts';
import { catalogsRoutes } from './routes/catalogs.ts';
import { customFieldsRoutes } from './routes/custom-fields.ts';
import { debugRoutes } from './routes/debug.ts';
import type { RouteDeps } from './routes/deps.ts';
import { leadsRoutes } from './routes/leads.ts';
import { notesRoutes } from './routes/notes.ts';
import { oauthRoutes } from './routes/oauth.ts';
import { pipelinesRoutes } from './routes/pipelines.ts';
import { salesbotRoutes } from './routes/salesbot.ts';
import { tasksRoutes } from './routes/tasks.ts';
import type { Timers } from './timers.ts';
import type { AmocrmEmulator } from './types.ts';

/**
 * The order is the behaviour: record everything; parse; learn the account; let faults win over
 * everything real; then blocks, auth and the rate budget; then amoCRM's routes.
 */
export function buildApp(
  deps: RouteDeps,
  parts: { faults: Faults; limiter: RateLimiter; whitelist: IpWhitelist; timers: Timers; emu: AmocrmEmulator },
): Express {
  const { responder } = deps;
  const app = express();
  // amoCRM's filters are bracketed (`filter[id][]=1`): the qs parser, not Express 5's default.
  app.set('query parser', 'extended');
  app.set('etag', false);
  app.disable('x-powered-by');

  app.use(recorder(deps.log, deps.options.now));
  app.use(express.json({ type: ['application/json', 'application/*+json'], limit: '10mb' }));
  app.use(express.urlencoded({ extended: true }));
  app.use(debugRoutes(deps, parts.emu));
  app.use(identify(deps.tokens));
  app.use(faultMiddleware(parts.faults, responder, parts.timers));
  app.use(rejectBlocked(parts.limiter, responder));
  app.use(oauthRoutes(deps));
  app.use('/api/v4', requireApiAccess(parts.limiter, responder, parts.whitelist));
  // The Salesbot run API is still v2 on amoCRM.
  app.use('/api/v2', requireApiAccess(parts.limiter, responder, parts.whitelist));
  app.use(accountRoutes(deps));
  app.use(pipelinesRoutes(deps));
  app.use(customFieldsRoutes(deps));
  // Before leads: `/leads/notes` must not be taken for `/leads/:id`.
  app.use(notesRoutes(deps));
  app.use(tasksRoutes(deps));
  app.use(catalogsRoutes(deps));
  app.use(salesbotRoutes(deps));
  app.use(leadsRoutes(deps));

  app.use((req, res) => responder.send(res, problem(404, `No route ${req.method} ${req.path}`)));
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    const status = (err as { status?: number }).status;
    if (status && status >= 400 && status < 500) return responder.write(res, problem(status, (err as Error).message));
    responder.write(res, problem(500, (err as Error)?.message ?? 'Internal error'));
  };
  app.use(onError);
  return app;
}
