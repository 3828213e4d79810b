import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Clock } from '../../server/platform/clock.ts';
import type { HttpClient } from '../../server/platform/http-client.ts';
import { registerApiRoutes } from './api-routes.ts';
import type { SecretLookup } from './api-auth.ts';
import { registerCheckoutRoutes } from './checkout-routes.ts';
import { sendError } from './errors.ts';
import type { SandboxSessionStore } from './session-store.ts';
import { WebhookSender, type GatewayLogger } from './webhook-sender.ts';

export interface SandboxGatewayOptions {
  store: SandboxSessionStore;
  /** Notifications go out through the same seam as every outbound call. */
  http: HttpClient;
  /** Session expiry and webhook-timestamp. */
  clock: Clock;
  /** The account's sandbox webhookSecret (accountId as read from notifyUrl), or undefined when it has none. */
  secretFor: SecretLookup;
  logger?: GatewayLogger;
  /** PUBLIC_URL; used for checkoutUrl. Without it the Host of the create request is used. */
  publicUrl?: string;
  /** Delays before each redelivery of a failed notification; default 2 s, 10 s, 1 min, 5 min. */
  retryDelaysMs?: readonly number[];
  /** Per delivery attempt; default 5 s. */
  deliveryTimeoutMs?: number;
}

export type SandboxGateway = Router & {
  /** Resolves when no notification is being sent or waiting for a retry. */
  idle(): Promise<void>;
  /** Stops scheduled redeliveries (shutdown). */
  close(): void;
};

const DEFAULT_RETRY_DELAYS_MS = [2_000, 10_000, 60_000, 300_000];

/**
 * The sandbox provider's bank, mounted at /sandbox (app-extension.ts): a merchant API under /api and
 * a hosted checkout under /checkout. It talks to the rest of the app only over HTTP (notifications
 * to notifyUrl), like a bank would.
 */
export function createSandboxGateway(opts: SandboxGatewayOptions): SandboxGateway {
  const sender = new WebhookSender({
    http: opts.http,
    clock: opts.clock,
    secretFor: opts.secretFor,
    logger: opts.logger,
    retryDelaysMs: opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
    timeoutMs: opts.deliveryTimeoutMs ?? 5_000,
  });
  const ctx = { store: opts.store, clock: opts.clock, secretFor: opts.secretFor, sender, logger: opts.logger, publicUrl: opts.publicUrl };
  const router = express.Router();
  registerApiRoutes(router, ctx);
  registerCheckoutRoutes(router, ctx);
  router.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.parse.failed') return sendError(res, 400, 'sandbox_bad_json', 'request body is not valid JSON');
    if (e.type === 'entity.too.large') return sendError(res, 413, 'sandbox_body_too_large', 'request body is larger than 16 kB');
    opts.logger?.warn('sandbox gateway error', { path: req.path, error: e.message ?? String(err) });
    sendError(res, 500, 'sandbox_internal', 'the sandbox gateway failed; see the server log');
  });
  return Object.assign(router, { idle: () => sender.idle(), close: () => sender.close() });
}
