export { sandboxProvider } from './provider.ts';
export { sandboxCredentialsSchema, type SandboxCredentials } from './credentials.ts';
export { signStandardWebhook, webhookSecretKey, webhookSignatureBase64 } from './standard-webhooks.ts';
export { verifyStandardWebhook } from './verify-webhook.ts';
export { sandboxApiKey } from './api-key.ts';
export { sandboxNotificationSchema, SANDBOX_EVENT_TYPES, type SandboxEventType, type SandboxNotification } from './notification-body.ts';
export { SANDBOX_SESSION_STATUSES, type SandboxSessionStatus, type SessionStatusResponse } from './api-schemas.ts';
// The gateway (the fake bank, scripts/sandbox-gateway) serves what this adapter calls: same path and limits.
export { SANDBOX_MAX_TTL_SEC, SANDBOX_MIN_TTL_SEC, SANDBOX_MOUNT_PATH, SANDBOX_SESSION_TTL_SEC } from './constants.ts';
