/** Standard Webhooks' recommended tolerance: a replayed notification older (or newer) than this is refused. */
export const WEBHOOK_TOLERANCE_SEC = 300;

/** Where the gateway (the dev wing's scripts/sandbox-gateway) is mounted on this server. */
export const SANDBOX_MOUNT_PATH = '/sandbox';

/** Like the card gateways: a checkout stays payable for 20 minutes unless the caller asks for less. */
export const SANDBOX_SESSION_TTL_SEC = 1200;
export const SANDBOX_MIN_TTL_SEC = 60;
export const SANDBOX_MAX_TTL_SEC = 86_400;
