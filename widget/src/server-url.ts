/** http://localhost:3000 when the bundle was not built by the widget build (tests load these modules directly). */
export const BAKED_SERVER_URL: string =
  typeof __DRAMLINK_SERVER_URL__ === 'string' && __DRAMLINK_SERVER_URL__ ? __DRAMLINK_SERVER_URL__ : 'http://localhost:3000';

/**
 * The admin's `server_url` widget setting wins over the address baked in at build time, so one
 * archive can be pointed at a staging server without a rebuild. Trailing slashes are dropped
 * because routes are appended with their own leading slash.
 */
export function resolveServerUrl(settings: Record<string, unknown> | undefined, baked = BAKED_SERVER_URL): string {
  const configured = typeof settings?.server_url === 'string' ? settings.server_url.trim() : '';
  const url = /^https?:\/\/\S+$/i.test(configured) ? configured : baked;
  return url.replace(/\/+$/, '');
}
