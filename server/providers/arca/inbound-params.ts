import type { InboundRequest } from '../provider.ts';

/**
 * Callback parameters exactly as received (names and values untouched: the checksum covers them).
 * GET carries them in the query; POST in a form body, merged over the query (a posted value wins,
 * since the checksum covers what the gateway posted).
 */
export function readArcaParams(req: InboundRequest): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string') params[k] = v;
  if (req.method.toUpperCase() === 'POST' && req.rawBody.length > 0) {
    for (const [k, v] of new URLSearchParams(req.rawBody.toString('utf8'))) params[k] = v;
  }
  return params;
}

/** Case-insensitive lookup for names that are not signed-data-sensitive (checksum). */
export function paramIgnoringCase(params: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  const key = Object.keys(params).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : params[key];
}
