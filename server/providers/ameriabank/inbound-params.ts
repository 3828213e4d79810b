import type { InboundRequest } from '../provider.ts';

/** Query and (for POST) form body, keys case-insensitive: the bank's spelling varies (orderID, resposneCode). */
export function readAmeriabankParams(req: InboundRequest): Map<string, string> {
  const params = new Map<string, string>();
  const add = (key: string, value: string) => {
    const trimmed = value.trim();
    if (trimmed !== '') params.set(key.toLowerCase(), trimmed);
  };
  if (req.method.toUpperCase() === 'POST' && req.rawBody.length > 0) {
    for (const [k, v] of new URLSearchParams(req.rawBody.toString('utf8'))) add(k, v);
  }
  // Query last: a GET return carries everything there.
  for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string') add(k, v);
  return params;
}
