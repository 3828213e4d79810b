import type { InboundRequest } from '../provider.ts';
import { headerValue } from './header-value.ts';

/**
 * Idram and Telcell post application/x-www-form-urlencoded; a GET carries the same names in the query.
 * Body values win over query values so a query string added by a proxy cannot shadow posted fields.
 * The first occurrence of a repeated name counts, the same one the checksum is verified over.
 */
export function readFormParams(req: InboundRequest): Record<string, string> {
  const params: Record<string, string> = {};
  const body = req.rawBody.length > 0 && isFormLike(req.headers) ? new URLSearchParams(req.rawBody.toString('utf8')) : undefined;
  for (const [key, value] of Object.entries(req.query)) params[key] = value;
  if (body) {
    const seen = new Set<string>();
    for (const [key, value] of body) {
      if (seen.has(key)) continue;
      seen.add(key);
      params[key] = value;
    }
  }
  return params;
}

function isFormLike(headers: Record<string, string>): boolean {
  const type = headerValue(headers, 'content-type')?.toLowerCase() ?? '';
  // No content type: treat as a form, which is what these providers send; JSON or multipart is not theirs.
  return type === '' || type.includes('application/x-www-form-urlencoded') || type.startsWith('text/plain');
}
