import type { Clock } from '../../server/platform/clock.ts';
import type { SecretLookup } from './api-auth.ts';
import type { SandboxSessionStore } from './session-store.ts';
import type { GatewayLogger, WebhookSender } from './webhook-sender.ts';

/** What the gateway's route handlers share. */
export interface GatewayContext {
  store: SandboxSessionStore;
  clock: Clock;
  secretFor: SecretLookup;
  sender: WebhookSender;
  logger?: GatewayLogger;
  /** Origin customers reach this server at; when absent, taken from the API request's Host. */
  publicUrl?: string;
}
