export { sandboxProvider } from './provider.ts';
export { sandboxCredentialsSchema, type SandboxCredentials } from './credentials.ts';
export { signStandardWebhook, webhookSecretKey, webhookSignatureBase64 } from './standard-webhooks.ts';
export { verifyStandardWebhook } from './verify-webhook.ts';
export { sandboxApiKey } from './api-key.ts';
export { sandboxNotificationSchema, SANDBOX_EVENT_TYPES, type SandboxEventType, type SandboxNotification } from './notification-body.ts';
export { SANDBOX_SESSION_STATUSES, type SandboxSessionStatus } from './api-schemas.ts';
