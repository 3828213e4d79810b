import type { ProviderContext } from '../provider.ts';

/**
 * The sandbox gateway has no host of its own: it is this server, so its one official host is
 * PUBLIC_URL's (trusted like an operator-listed one, since the operator set PUBLIC_URL).
 */
export const SANDBOX_OFFICIAL_HOSTS: readonly string[] = [];

/** Where the gateway is mounted on this server, under PUBLIC_URL unless baseUrl names another. */
export const SANDBOX_MOUNT_PATH = '/sandbox';

/** `{baseUrl or PUBLIC_URL}/sandbox/api{path}`: the gateway's merchant API. */
export function sandboxApiUrl(ctx: Pick<ProviderContext, 'baseUrl' | 'publicUrl'>, path: string): string {
  return `${(ctx.baseUrl ?? ctx.publicUrl).replace(/\/+$/, '')}${SANDBOX_MOUNT_PATH}/api${path}`;
}

/** The API path of one session, its id escaped. */
export function sessionPath(sessionId: string, action = ''): string {
  return `/sessions/${encodeURIComponent(sessionId)}${action}`;
}
