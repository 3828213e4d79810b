import type { ProviderContext } from '../provider.ts';

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
