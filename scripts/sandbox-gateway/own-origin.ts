import type { Request } from 'express';

/**
 * The fake bank talks only to the server it lives on: it posts notifications to, and sends
 * browsers back to, this server's own origin (PUBLIC_URL, or the origin the API was called at when
 * the gateway runs without one). Otherwise anyone holding an account's API key could make it post
 * signed requests to any host, or use the checkout as an open redirect.
 */
export function ownOrigin(publicUrl: string | undefined, req?: Request): string | undefined {
  const raw = publicUrl ?? (req ? `${req.protocol}://${req.get('host')}` : undefined);
  return raw === undefined ? undefined : originOf(raw);
}

/** True when `url` is on `origin` (scheme, host and port alike); false for anything unreadable. */
export function isOnOrigin(url: string, origin: string | undefined): boolean {
  return origin !== undefined && originOf(url) === origin;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin.toLowerCase();
  } catch {
    return undefined;
  }
}
