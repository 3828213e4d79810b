import { Router, type RequestHandler } from 'express';
import { AppError } from '../errors/app-error.ts';
import type { AppServices } from '../services.ts';
import { createAdminCheck, type AdminCheck } from './auth/admin-check.ts';
import { requireAdmin, widgetAuth } from './auth/middleware.ts';
import { createJtiStore } from './auth/replay.ts';
import { createTokenClaimsRecorder } from './auth/token-claims.ts';
import { createTokenVerifier } from './auth/verify-token.ts';
import { widgetCors } from './cors.ts';
import type { WidgetApiDeps } from './deps.ts';
import { createUserNames } from './user-names.ts';
import { cancelPaymentRoute } from './routes/cancel-payment.ts';
import { capturePaymentRoute } from './routes/capture-payment.ts';
import { testProviderRoute } from './routes/test-provider.ts';
import { voidPaymentRoute } from './routes/void-payment.ts';
import { createPaymentRoute } from './routes/create-payment.ts';
import { diagnosticsRoute } from './routes/diagnostics.ts';
import { exportPaymentsRoute } from './routes/export-payments.ts';
import { getSettingsRoute } from './routes/get-settings.ts';
import { listExceptionsRoute } from './routes/list-exceptions.ts';
import { listLeadPaymentsRoute } from './routes/list-lead-payments.ts';
import { putSettingsRoute } from './routes/put-settings.ts';
import { refreshPaymentRoute } from './routes/refresh-payment.ts';
import { refundPaymentRoute } from './routes/refund-payment.ts';
import { resendPaymentRoute } from './routes/resend-payment.ts';
import { bulkPaymentsRoutes } from './routes/bulk-payments.ts';
import { paymentMessageRoute } from './routes/payment-message.ts';
import { pipelineSetupRoute } from './routes/pipeline-setup.ts';
import { sendPaymentRoute } from './routes/send-payment.ts';

/**
 * The widget API (the widget's calls to this server, described in openapi.yaml), mounted under /api/v1:
 * `app.use('/api/v1', widgetApiCors())` before the JSON body parser (so even a 413 or malformed
 * JSON answer carries CORS headers the widget can read), `app.use('/api/v1', widgetApiRouter(services))` after it.
 */
export function widgetApiCors(): RequestHandler {
  return widgetCors();
}

function authMiddleware(services: AppServices): RequestHandler {
  const { config, store, clock, logger } = services;
  if (config.amocrm.clientId && config.amocrm.clientSecret) {
    return widgetAuth({
      accounts: services.accounts,
      clock,
      logger,
      verifier: createTokenVerifier({
        clientId: config.amocrm.clientId,
        clientSecret: config.amocrm.clientSecret,
        redirectUri: config.amocrm.redirectUri,
      }),
      jti: createJtiStore({ store, clock }),
      replay: config.amocrm.tokenReplay,
      claims: createTokenClaimsRecorder({ store, clock }),
      onReuse: (outcome) => services.metrics.tokenReuses.inc({ outcome }),
    });
  }
  // Local mode without an integration: no token can be verified, so nothing is served.
  return () => {
    throw new AppError('integration_not_configured', 503, 'Set AMOCRM_CLIENT_ID and AMOCRM_CLIENT_SECRET to use the widget API.');
  };
}

export function widgetApiRouter(services: AppServices): Router {
  const router = Router();
  const adminCheck: AdminCheck = createAdminCheck({
    clock: services.clock,
    logger: services.logger,
    onAnswer: (source) => services.metrics.adminChecks.inc({ source }),
  });
  const deps: WidgetApiDeps = {
    services,
    auth: authMiddleware(services),
    admin: requireAdmin(adminCheck),
    adminCheck,
    userName: createUserNames({ clock: services.clock, logger: services.logger }),
  };

  listLeadPaymentsRoute(router, deps);
  createPaymentRoute(router, deps);
  resendPaymentRoute(router, deps);
  sendPaymentRoute(router, deps);
  paymentMessageRoute(router, deps);
  bulkPaymentsRoutes(router, deps);
  pipelineSetupRoute(router, deps);
  refreshPaymentRoute(router, deps);
  cancelPaymentRoute(router, deps);
  refundPaymentRoute(router, deps);
  capturePaymentRoute(router, deps);
  voidPaymentRoute(router, deps);
  getSettingsRoute(router, deps);
  putSettingsRoute(router, deps);
  testProviderRoute(router, deps);
  listExceptionsRoute(router, deps);
  exportPaymentsRoute(router, deps);
  diagnosticsRoute(router, deps);
  return router;
}
